import type { AbstractSqlConnection, AbstractSqlDriver } from '@mikro-orm/knex'
import { HttpError, type OrmDialect } from '../../../core/index.js'
import { outageOf, type Outage } from '../../../core/orm-kit/index.js'

/**
 * One request's queries, as its fork runs them: the request's signal, and
 * the queries running now, so that an abort can cancel each. It travels with
 * every query in MikroORM's logger context (a class instance, which MikroORM
 * passes along by reference where it copies plain objects), from the fork to
 * the connection, nested forks (`em.transactional`) included.
 */
export class RequestQueries {
  readonly running = new Set<RunningQuery>()
  constructor(readonly signal: AbortSignal) {}
}

/** The logger-context key {@link RequestQueries} travel under. */
export const requestKey = 'dovetailRequest'

interface RunningQuery {
  /** The request the query is for, when its fork was given one. */
  readonly request: RequestQueries | undefined
  /** The raw connection the query runs on, known once knex sends it. */
  connection?: RawConnection
  /** The knex client whose pool lent that connection. */
  client?: KnexClient
}

/** What MikroORM gives the connection per query (the fork's logger context, spread). */
type LoggerContext = { [requestKey]?: RequestQueries } | undefined

/** The parts of knex's client used here: its pool, its builders, and cancelling a query on a raw connection. */
interface KnexClient {
  acquireConnection(): Promise<RawConnection>
  releaseConnection(connection: RawConnection): Promise<void>
  cancelQuery(connection: RawConnection): Promise<unknown>
  raw(...args: unknown[]): { once(event: 'query', listener: (query: { __knexUid?: string }) => void): unknown }
}

/** A pg `Client`, a mysql2 connection or a libsql database, as knex keeps it. */
interface RawConnection {
  __knexUid?: string
  __knex__disposed?: unknown
  /** pg's socket is on its connection, mysql2's on the connection itself. */
  connection?: { stream?: { destroy(): void } }
  stream?: { destroy(): void }
  /** libsql: an in-memory database, whose data goes with its connection. */
  memory?: boolean
}

/** What the guard tells the handle, which knows the outage state and the logger. */
export interface QueryGuardHooks {
  dialect: OrmDialect
  /** The 503 for an outage; the handle logs it once. */
  unavailable(error: unknown, outage: Outage): HttpError
  /** A query succeeded: if the database was down, it is back. */
  answered(): void
  /** A running query was cancelled, or could not be and its connection was closed. */
  cancelled(reason: unknown, how: 'cancelled' | 'connection closed', error?: unknown): void
}

// knex notes these on a connection the pool must not hand out again; its warning names them.
const cancelledMark = 'its request ended while a query ran on it'
const lockedMark = 'a statement on it found the SQLite file locked'

/**
 * Make MikroORM's connections answer for availability and requests:
 * - a query that fails because the database is down or full throws a 503
 *   (`hooks.unavailable`), from `execute` and the driver alike;
 * - a query for a request whose signal has aborted does not start, and one
 *   running when it aborts is cancelled: PostgreSQL by `pg_cancel_backend`,
 *   MySQL/MariaDB by `KILL QUERY` (knex's `cancelQuery`, on a connection of
 *   its own), and when that fails (the database unreachable) the connection
 *   is closed so the query ends at once. Either way the connection is never
 *   reused: a cancel that arrives late must not hit another request's query.
 *   libsql runs a query synchronously, so nothing can fire while it runs:
 *   only the next query is refused.
 *
 * MikroORM has no hook for either. Every query the EntityManager makes
 * (find, flush, execute, query builders) goes through its connection's
 * `executeQuery(sql, run, context)`, whose context carries the fork's
 * {@link RequestQueries}, and `run` makes the knex builder synchronously; so
 * `executeQuery` and the knex client's `raw` are wrapped on this instance,
 * and the builder, when knex sends it, names its connection. Transactions'
 * begin, commit and rollback are wrapped on the connection. Not AsyncLocalStorage:
 * on Node 20 it slows every promise of the process (10 µs a request here).
 */
export function guardQueries(driver: AbstractSqlDriver, hooks: QueryGuardHooks): void {
  for (const connection of connectionsOf(driver)) {
    watchBuilders(connection.getKnex().client as unknown as KnexClient)
    wrapExecuteQuery(connection, hooks)
    wrapTransactions(connection, hooks)
  }
  // What this file throws is already the answer; MikroORM would wrap it in a DriverException (a 500).
  const convert = driver.convertException.bind(driver)
  driver.convertException = (error: Error) => (error instanceof HttpError || thrown.has(error) ? error : convert(error)) as never
}

/** The driver's connections: the write one, the read one and any replicas. */
export function connectionsOf(driver: AbstractSqlDriver): Set<AbstractSqlConnection> {
  const connections = new Set<AbstractSqlConnection>([driver.getConnection('write'), driver.getConnection('read')])
  for (const replica of (driver as unknown as { replicas?: AbstractSqlConnection[] }).replicas ?? []) connections.add(replica)
  return connections
}

/** Errors thrown here as they are (an abort's reason), for convertException to let through. */
const thrown = new WeakSet<object>()

// The query whose knex builder is being made: set only while executeQuery's `run` runs
// synchronously, so no other query can see it.
let building: RunningQuery | undefined

function watchBuilders(client: KnexClient): void {
  const byUid = new Map<string, RawConnection>()
  const acquire = client.acquireConnection.bind(client)
  const release = client.releaseConnection.bind(client)
  client.acquireConnection = async () => {
    const connection = await acquire()
    if (connection.__knexUid) byUid.set(connection.__knexUid, connection)
    return connection
  }
  client.releaseConnection = (connection) => {
    if (connection.__knexUid) byUid.delete(connection.__knexUid)
    return release(connection)
  }
  const raw = client.raw.bind(client)
  client.raw = (...args) => {
    const builder = raw(...args)
    const running = building
    if (running === undefined) return builder
    // knex announces the query, with its connection's id, just before sending it (in a transaction too).
    builder.once('query', (query) => {
      // The request ended while the query waited for a connection. Thrown here, inside knex's
      // runner, the query is never sent and its connection goes back to the pool unharmed.
      if (running.request?.signal.aborted) throw abortReason(running.request.signal)
      running.connection = query.__knexUid === undefined ? undefined : byUid.get(query.__knexUid)
      running.client = client
    })
    return builder
  }
}

function wrapExecuteQuery(connection: AbstractSqlConnection, hooks: QueryGuardHooks): void {
  const executeQuery = (connection as unknown as Executes).executeQuery.bind(connection)
  ;(connection as unknown as Executes).executeQuery = async (sql, run, context) => {
    const request = context?.[requestKey]
    if (request?.signal.aborted) throw abortReason(request.signal)
    const running: RunningQuery = { request }
    request?.running.add(running)
    const tracked = () => {
      building = running
      try {
        return run()
      } finally {
        building = undefined
      }
    }
    let result: unknown
    try {
      result = await executeQuery(sql, tracked, context)
    } catch (error) {
      if (request?.signal.aborted) throw abortReason(request.signal)
      const outage = outageOf(error)
      if (outage === undefined) throw error
      // libsql keeps the statement that found the file locked open, and every later commit on that
      // connection fails with "SQL statements in progress": let the pool replace it.
      if (hooks.dialect === 'sqlite' && running.connection && running.connection.memory !== true) running.connection.__knex__disposed ??= lockedMark
      throw hooks.unavailable(error, outage)
    } finally {
      request?.running.delete(running)
    }
    hooks.answered()
    return result
  }
}

/**
 * A transaction's begin, commit and rollback go to knex without
 * executeQuery: waiting for a connection in begin, a commit on a connection
 * that broke. Wrapped on the connection, they are mapped for `em.begin()`
 * and `em.transactional()` alike.
 */
function wrapTransactions(connection: AbstractSqlConnection, hooks: QueryGuardHooks): void {
  for (const name of ['begin', 'commit', 'rollback'] as const) {
    const original = (connection[name] as (...args: unknown[]) => Promise<unknown>).bind(connection)
    ;(connection as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      try {
        return await original(...args)
      } catch (error) {
        const outage = error instanceof HttpError || thrown.has(error as object) ? undefined : outageOf(error)
        throw outage ? hooks.unavailable(error, outage) : error
      }
    }
  }
}

/** MikroORM's `Connection.executeQuery`, protected: every query of `execute()` runs through it. */
interface Executes {
  executeQuery(sql: string, run: () => Promise<unknown>, context?: LoggerContext): Promise<unknown>
}

/**
 * Follow a request's signal: when it aborts, cancel what its fork is
 * running. Called once per request, when its fork is made.
 */
export function cancelOnAbort(request: RequestQueries, hooks: QueryGuardHooks): void {
  if (hooks.dialect === 'sqlite') return
  request.signal.addEventListener(
    'abort',
    () => {
      for (const running of request.running) void cancel(running, request.signal.reason, hooks)
    },
    { once: true },
  )
}

async function cancel(running: RunningQuery, reason: unknown, hooks: QueryGuardHooks): Promise<void> {
  const { connection, client } = running
  if (!connection || !client) return
  // Before anything else: the pool destroys it when it comes back instead of lending it out.
  connection.__knex__disposed ??= cancelledMark
  try {
    await client.cancelQuery(connection)
    hooks.cancelled(reason, 'cancelled')
  } catch (error) {
    // No connection to send the cancel on (the database unreachable): end the query by closing its own.
    closeRaw(connection)
    hooks.cancelled(reason, 'connection closed', error)
  }
}

/**
 * Close a raw connection's socket now, so the query waiting on it fails at
 * once. Not the drivers' own end() or destroy(): they say goodbye to the
 * server first, and one that does not answer keeps the query waiting.
 */
function closeRaw(connection: RawConnection): void {
  ;(connection.connection?.stream ?? connection.stream)?.destroy()
}

/** What to throw for a request whose signal aborted: its reason (the time limit's 503, the client's abort), passed through MikroORM as it is. */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason ?? new DOMException('The request was aborted', 'AbortError')
  if (typeof reason === 'object' && reason !== null) thrown.add(reason)
  return reason
}
