import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely'
import { Deadlines, HttpError } from '../../../core/index.js'
import { type OutageLog, outageOf } from '../../../core/orm-kit/index.js'
import { whileWaiting } from './abort-waiters.js'

/** Thrown when no connection came free within `acquireTimeout`; the orm-kit reads its name as the database saturated. */
class AcquireTimeout extends Error {
  override readonly name = 'OrmAcquireTimeout'
}

/**
 * A Kysely driver around the dialect's own, answering for availability the
 * way every Dovetail ORM component does:
 * - waiting for a connection (a pool's, or SQLite's one) is bounded by
 *   `acquireTimeout`, opening one included; a connection that arrives after
 *   the wait gave up goes straight back;
 * - a query, a connection, a begin, commit or rollback that fails because
 *   the database is down or full throws the 503 the {@link OutageLog} makes
 *   (and logs once); other errors (a unique violation, a syntax error) pass
 *   through as the driver threw them;
 * - a query that succeeds tells the log the database answers again.
 * The dialect's connections are wrapped once each; the wrapper hands the
 * dialect its own connection back for transactions and release.
 */
export class GuardedDriver implements Driver {
  readonly #raw: Driver
  readonly #outages: OutageLog
  readonly #acquireTimeout: number
  readonly #deadlines: Deadlines
  readonly #wrapped = new WeakMap<DatabaseConnection, GuardedConnection>()

  readonly #log: ((sql: string, ms: number) => void) | undefined

  /** `log`, when given, hears every query's SQL and duration (the component's `debug` option). */
  constructor(raw: Driver, outages: OutageLog, acquireTimeout: number, log?: (sql: string, ms: number) => void) {
    this.#raw = raw
    this.#outages = outages
    this.#acquireTimeout = acquireTimeout
    this.#deadlines = new Deadlines(acquireTimeout)
    this.#log = log
  }

  async init(): Promise<void> {
    await this.#map(() => this.#raw.init())
  }

  acquireConnection(): Promise<DatabaseConnection> {
    return this.acquire()
  }

  /**
   * A connection within `acquireTimeout`; with a signal, the wait also ends
   * when it aborts (throwing its reason), and the connection, once it comes,
   * goes back unused.
   */
  acquire(signal?: AbortSignal, reason?: () => unknown): Promise<GuardedConnection> {
    const pending = this.#raw.acquireConnection()
    // One promise settled by whichever comes first: the connection, the deadline, the abort.
    return new Promise<GuardedConnection>((resolve, reject) => {
      let settled = false
      let stopWaiting: (() => void) | undefined
      const giveUp = (error: unknown) => {
        if (settled) return
        settled = true
        this.#deadlines.delete(wait)
        stopWaiting?.()
        // Given up on: whatever comes later is returned unused.
        pending.then((c) => this.#raw.releaseConnection(c), () => {})
        reject(this.#outage(error))
      }
      const wait = this.#deadlines.add(() => giveUp(new AcquireTimeout(`no connection came free within acquireTimeout (${this.#acquireTimeout} ms)`)))
      if (signal) stopWaiting = whileWaiting(signal, () => giveUp(reason ? reason() : signal.reason))
      pending.then(
        (connection) => {
          if (settled) return
          settled = true
          this.#deadlines.delete(wait)
          stopWaiting?.()
          resolve(this.#wrap(connection))
        },
        giveUp,
      )
    })
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#map(() => this.#raw.beginTransaction(unwrap(connection), settings))
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#map(() => this.#raw.commitTransaction(unwrap(connection)))
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#map(() => this.#raw.rollbackTransaction(unwrap(connection)))
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.#map(() => this.#raw.savepoint!(unwrap(connection), name, compile))
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.#map(() => this.#raw.rollbackToSavepoint!(unwrap(connection), name, compile))
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: Parameters<NonNullable<Driver['savepoint']>>[2]): Promise<void> {
    await this.#map(() => this.#raw.releaseSavepoint!(unwrap(connection), name, compile))
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.#raw.releaseConnection(unwrap(connection))
  }

  destroy(): Promise<void> {
    this.#deadlines.clear()
    return this.#raw.destroy()
  }

  #wrap(raw: DatabaseConnection): GuardedConnection {
    let wrapped = this.#wrapped.get(raw)
    if (!wrapped) this.#wrapped.set(raw, (wrapped = new GuardedConnection(raw, (r, query) => this.#execute(r, query), this.#log)))
    return wrapped
  }

  async #map<T>(run: () => Promise<T>): Promise<T> {
    let result: T
    try {
      result = await run()
    } catch (error) {
      throw this.#outage(error)
    }
    this.#outages.answered()
    return result
  }

  // A query's two endings, made once: `executeQuery` runs on every query, and a closure and an
  // async frame per query (as #map makes) are a measurable share of a short one.
  readonly #answered = <T>(result: T): T => {
    this.#outages.answered()
    return result
  }

  readonly #failed = (error: unknown): never => {
    throw this.#outage(error)
  }

  /** `query` run on `raw`, answering for availability as {@link #map} does. */
  #execute<R>(raw: DatabaseConnection, query: CompiledQuery): Promise<QueryResult<R>> {
    let pending: Promise<QueryResult<R>>
    try {
      // SQLite's driver throws synchronously.
      pending = raw.executeQuery<R>(query)
    } catch (error) {
      return Promise.reject(this.#outage(error))
    }
    return pending.then(this.#answered, this.#failed)
  }

  #outage(error: unknown): unknown {
    if (error instanceof HttpError) return error
    const outage = outageOf(error)
    return outage ? this.#outages.unavailable(error, outage) : error
  }
}

/** A dialect's connection whose queries answer for availability; `raw` is the dialect's own. */
export class GuardedConnection implements DatabaseConnection {
  constructor(
    readonly raw: DatabaseConnection,
    private readonly execute: <R>(raw: DatabaseConnection, query: CompiledQuery) => Promise<QueryResult<R>>,
    private readonly log?: (sql: string, ms: number) => void,
  ) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.log) return this.execute<R>(this.raw, query)
    const started = performance.now()
    return this.execute<R>(this.raw, query).finally(() => this.log!(query.sql, performance.now() - started))
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.raw.streamQuery<R>(query, chunkSize)
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection => (connection instanceof GuardedConnection ? connection.raw : connection)
