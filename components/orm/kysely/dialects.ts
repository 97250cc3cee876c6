import { mkdir } from 'node:fs/promises'
import { dirname, resolve as resolvePath } from 'node:path'
import { CompiledQuery, type DatabaseConnection, type Dialect, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely'
import type { Connection } from '../../../core/orm-kit/index.js'
import { loadPackage } from './load-packages.js'
import type { KyselySettings } from './options.js'
import { type NamingClient, nameStatements, type PgQueryClass } from './pg-statements.js'
import { type LibsqlDatabase, StatementCache } from './sqlite-statements.js'

/**
 * How to stop a query running on a connection from outside it, and to keep
 * that connection from being lent again (a late cancel must never hit the
 * next request's query). SQLite has none: libsql runs a query synchronously.
 */
export interface Canceller {
  /** Cancel what `connection` runs now, on a connection of its own. Rejects when no cancel could be sent. */
  cancel(connection: DatabaseConnection): Promise<void>
  /** Close the connection's socket at once: the query waiting on it fails now. */
  close(connection: DatabaseConnection): void
  /** Destroy the connection when it comes back to the pool instead of lending it out again. */
  discard(connection: DatabaseConnection): void
}

/** A Kysely dialect for the chosen database, with the component's timeouts, and how to cancel its queries. */
export interface BuiltDialect {
  dialect: Dialect
  canceller: Canceller | undefined
}

const isLocalFile = (target: string): boolean => target !== ':memory:' && !/^[a-z][a-z0-9+.-]+:\/\//i.test(target)

/**
 * SQLite runs on libsql's `Database`, which has better-sqlite3's API
 * (`prepare`, a statement's `reader`, `all`, `run`, `close`), the shape
 * Kysely's own `SqliteDialect` drives: no dialect of our own is needed. It is
 * the same embedded engine `orm/mikro-orm` uses (`@mikro-orm/libsql`), with a
 * prebuilt binary, so no install script runs.
 */
export async function buildDialect(connection: Connection, settings: KyselySettings): Promise<BuiltDialect> {
  const { dialect, target } = connection
  if (dialect === 'sqlite') {
    const Database = (await loadPackage('libsql', 'SQLite', () => import('libsql'))).default
    if (isLocalFile(target)) await mkdir(dirname(resolvePath(target)), { recursive: true })
    return {
      dialect: new SqliteDialect({
        database: async () => new StatementCache(new Database(target, { timeout: settings.busyTimeout }) as unknown as LibsqlDatabase, settings.statementCacheSize),
        // SQLite leaves foreign keys unchecked unless asked, per connection.
        onCreateConnection: async (c) => void (await c.executeQuery(CompiledQuery.raw('pragma foreign_keys = on'))),
      }),
      canceller: undefined,
    }
  }
  if (dialect === 'postgresql') return postgres(target, settings)
  return mysql(target.replace(/^mariadb:/i, 'mysql:'), settings)
}

interface PgClient {
  processID: number | null
  release(error?: unknown): void
  connection?: { stream?: { destroy(): void } }
  query(sql: string, params?: unknown[]): Promise<unknown>
  connect(): Promise<void>
  end(): Promise<void>
}

async function postgres(url: string, s: KyselySettings): Promise<BuiltDialect> {
  const pg = (await loadPackage('pg', 'PostgreSQL', () => import('pg'))).default
  // pg-pool's connectionTimeoutMillis bounds the wait for a pooled client, connecting included
  // (acquireTimeout); each client's own bounds opening its connection (connectTimeout).
  class TimedClient extends pg.Client {
    constructor(config?: object) {
      super({ ...config, connectionTimeoutMillis: s.connectTimeout })
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: s.poolSize, connectionTimeoutMillis: s.acquireTimeout, Client: TimedClient })
  // An idle pooled client whose server went away emits an error; without a listener it would end the process.
  pool.on('error', () => {})
  const clients = new Map<number, PgClient>()
  const discarded = new WeakSet<PgClient>()
  pool.on('connect', (client) => {
    const c = client as unknown as PgClient
    if (c.processID !== null) clients.set(c.processID, c)
    // A lent client whose socket breaks emits 'error' as well as failing its query; the query's
    // failure is what is answered (503), and an unheard 'error' would end the process.
    client.on('error', () => {})
    // Kysely's driver sends every query by text; this names them, so the server parses each once per connection.
    nameStatements(client as unknown as NamingClient, s.statementCacheSize, pg.Query as unknown as PgQueryClass)
  })
  pool.on('remove', (client) => {
    const c = client as unknown as PgClient
    if (c.processID !== null) clients.delete(c.processID)
  })
  const pids = new WeakMap<DatabaseConnection, number>()
  const clientOf = (connection: DatabaseConnection) => clients.get(pids.get(connection) ?? -1)
  return {
    dialect: new PostgresDialect({
      pool: pool as never,
      // Kysely keeps pg's client to itself; the server's process id names the connection for a cancel.
      onCreateConnection: async (c) => {
        const { rows } = await c.executeQuery<{ pid: number }>(CompiledQuery.raw('select pg_backend_pid() as pid'))
        if (rows[0]) pids.set(c, rows[0].pid)
      },
    }),
    canceller: {
      async cancel(connection) {
        const pid = pids.get(connection)
        if (pid === undefined) throw new Error('the connection has no known process id')
        // A client of its own, not the pool's: the pool may be full, which is often why a request timed out.
        const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: s.connectTimeout }) as unknown as PgClient
        try {
          await client.connect()
          await client.query('select pg_cancel_backend($1)', [pid])
        } finally {
          await client.end().catch(() => {})
        }
      },
      close: (connection) => clientOf(connection)?.connection?.stream?.destroy(),
      discard(connection) {
        const client = clientOf(connection)
        if (!client || discarded.has(client)) return
        discarded.add(client)
        // pg-pool gives a client its release() at each checkout, and this client is lent now (its query
        // runs): this checkout's release destroys it instead of pooling it again. Done here, on the rare
        // cancel, rather than wrapping release() on every checkout.
        const release = client.release
        client.release = (error?: unknown) => release.call(client, error ?? true)
      },
    },
  }
}

interface MysqlRawConnection {
  threadId: number | null
  release(): void
  destroy(): void
  stream?: { destroy(): void }
}

async function mysql(url: string, s: KyselySettings): Promise<BuiltDialect> {
  const mysql2 = (await loadPackage('mysql2', 'MySQL/MariaDB', () => import('mysql2'))).default
  const pool = mysql2.createPool({ uri: url, connectionLimit: s.poolSize, connectTimeout: s.connectTimeout, supportBigNumbers: true })
  pool.on('error' as never, () => {})
  const raws = new Map<number, MysqlRawConnection>()
  const discarded = new WeakSet<MysqlRawConnection>()
  pool.on('connection', (raw) => {
    const c = raw as unknown as MysqlRawConnection
    if (c.threadId !== null) raws.set(c.threadId, c)
    const release = c.release.bind(c)
    c.release = () => (discarded.has(c) ? c.destroy() : release())
  })
  const ids = new WeakMap<DatabaseConnection, number>()
  const rawOf = (connection: DatabaseConnection) => raws.get(ids.get(connection) ?? -1)
  return {
    dialect: new MysqlDialect({
      pool: pool as never,
      onCreateConnection: async (c) => {
        const { rows } = await c.executeQuery<{ id: number }>(CompiledQuery.raw('select connection_id() as id'))
        if (rows[0]) ids.set(c, Number(rows[0].id))
      },
    }),
    canceller: {
      async cancel(connection) {
        const id = ids.get(connection)
        if (id === undefined) throw new Error('the connection has no known id')
        const own = mysql2.createConnection({ uri: url, connectTimeout: s.connectTimeout }).promise()
        try {
          await own.query(`KILL QUERY ${Number(id)}`)
        } finally {
          await own.end().catch(() => {})
        }
      },
      close: (connection) => rawOf(connection)?.stream?.destroy(),
      discard(connection) {
        const raw = rawOf(connection)
        if (raw) discarded.add(raw)
      },
    },
  }
}
