import {
  decodeSession,
  encodeSession,
  HttpError,
  type Orm,
  type OrmDialect,
  ServiceUnavailableError,
  type SessionData,
  type SessionStore,
} from '../../../core/index.js'

export interface SqlStoreOptions {
  /** The table, created by `createTable()`. @default 'dovetail_sessions' */
  table?: string
}

/** The statements for one dialect; `?` placeholders, as `Orm.execute` takes them. */
interface Statements {
  create: string[]
  upsert: string
}

function statementsFor(dialect: OrmDialect, t: string): Statements {
  switch (dialect) {
    case 'sqlite':
      return {
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)`,
          `CREATE INDEX IF NOT EXISTS ${t}_expires ON ${t} (expires)`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires`,
      }
    case 'postgresql':
      return {
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id VARCHAR(255) PRIMARY KEY, data TEXT NOT NULL, expires BIGINT NOT NULL)`,
          `CREATE INDEX IF NOT EXISTS ${t}_expires ON ${t} (expires)`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires`,
      }
    case 'mysql':
    case 'mariadb':
      return {
        // MySQL has no CREATE INDEX IF NOT EXISTS, so the index is part of the table.
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id VARCHAR(255) NOT NULL PRIMARY KEY, data LONGTEXT NOT NULL, expires BIGINT NOT NULL, INDEX ${t}_expires (expires)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE data = VALUES(data), expires = VALUES(expires)`,
      }
  }
}

/**
 * Sessions in a table of the app's database, reached through the ORM slot's
 * `execute`: one row per session (`id`, `data` as JSON, `expires` in ms since
 * the epoch). A write is a single upsert, so concurrent writes of one session
 * never collide on the primary key. Expired rows are never returned and are
 * deleted by `sweep()`.
 *
 * Whatever the ORM throws from `get`, `set`, `destroy` or `touch` (the database
 * is down, a connection was cut, a query timed out) comes out as a
 * `ServiceUnavailableError` naming the store and the database, so the session
 * middleware answers 503; how soon is the ORM's business (its connect and
 * query timeouts) and the session middleware's `store.timeout`.
 *
 * @example
 * const store = new SqlSessionStore(app.resolve(Orm), { table: 'sessions' })
 * await store.createTable()
 */
export class SqlSessionStore implements SessionStore {
  readonly table: string
  readonly #orm: Orm
  readonly #sql: Statements

  constructor(orm: Orm, options: SqlStoreOptions = {}) {
    this.#orm = orm
    this.table = options.table ?? 'dovetail_sessions'
    this.#sql = statementsFor(orm.dialect, this.table)
  }

  /** `session-store/sql (table … on postgresql)`, for logs and errors. */
  get name(): string {
    return `session-store/sql (table ${this.table} on ${this.#orm.dialect})`
  }

  /** Create the table and its index on `expires` if they are missing. */
  async createTable(): Promise<void> {
    for (const statement of this.#sql.create) await this.#orm.execute(statement)
  }

  async get(id: string): Promise<SessionData | undefined> {
    const [row] = await this.#execute<{ data: string }>(`SELECT data FROM ${this.table} WHERE id = ? AND expires > ?`, [id, Date.now()])
    return decodeSession(row?.data)
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    // Encoded first, so a value JSON can't hold stays the app's error (a DovetailError), not an outage.
    const json = encodeSession(data)
    await this.#execute(this.#sql.upsert, [id, json, Date.now() + Math.ceil(ttl)])
  }

  async destroy(id: string): Promise<void> {
    await this.#execute(`DELETE FROM ${this.table} WHERE id = ?`, [id])
  }

  async touch(id: string, ttl: number): Promise<void> {
    const now = Date.now()
    await this.#execute(`UPDATE ${this.table} SET expires = ? WHERE id = ? AND expires > ?`, [now + Math.ceil(ttl), id, now])
  }

  /** One statement for a session; any failure means the database is unavailable to this request. */
  async #execute<T>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return await this.#orm.execute<T>(sql, params)
    } catch (error) {
      // The ORM may already have said 503 (with its own Retry-After); keep it.
      if (error instanceof HttpError && error.status === 503) throw error
      throw new ServiceUnavailableError(`${this.name}: the database failed (${describe(error)})`, { cause: error })
    }
  }

  /** Delete every expired row. */
  async sweep(): Promise<void> {
    await this.#orm.execute(`DELETE FROM ${this.table} WHERE expires <= ?`, [Date.now()])
  }
}

/**
 * What went wrong, from the driver error's fields rather than its message: the
 * ORM's messages quote the statement with its parameters, and a session id
 * must never reach a log.
 */
function describe(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error)
  const { name, code, sqlMessage } = error as { name?: unknown; code?: unknown; sqlMessage?: unknown }
  return [name, code, sqlMessage].filter((part) => typeof part === 'string' && part !== '').join(' ') || 'unknown error'
}
