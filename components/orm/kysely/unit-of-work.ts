import { type ConnectionProvider, type DatabaseConnection, type Dialect, type Driver, Kysely, type QueryExecutor } from 'kysely'
import type { UnitOfWork } from '../../../core/index.js'
import type { OutageLog } from '../../../core/orm-kit/index.js'
import type { Canceller } from './dialects.js'
import type { GuardedConnection, GuardedDriver } from './guarded-driver.js'

/** What a unit of work is built from: the app-wide Kysely's parts, and the request's signal if it has one. */
export interface WorkParts {
  dialect: Dialect
  driver: GuardedDriver
  executor: QueryExecutor
  canceller: Canceller | undefined
  outages: OutageLog
  signal: AbortSignal | undefined
}

/** What to throw for a request whose signal aborted: its reason (the time limit's 503, the client's abort). */
export const abortReason = (signal: AbortSignal): unknown => signal.reason ?? new DOMException('The request was aborted', 'AbortError')

/**
 * One request's unit of work on Kysely: a `Kysely` instance (every query
 * builder, `selectFrom`, `insertInto`, `schema`, …) whose queries run on the
 * request's transaction once `begin()` was called, and on a pooled
 * connection each otherwise. Kysely writes each change at once, so there is
 * nothing held back: `flush()` and `clear()` have nothing to do.
 *
 * The transaction opens lazily: `begin()` only marks it, and the first query
 * takes a connection and sends `begin`. A request that begins and never
 * queries (a write route that fails validation) holds no connection, and
 * `commit()` or `rollback()` of a transaction never opened sends nothing.
 *
 * `transaction()` and `connection()` (Kysely's own) run on a connection of
 * their own, outside the request's transaction.
 *
 * @example
 * r.post('/pages', async (ctx) => {
 *   const db = ctx.resolve(Kdb)
 *   await db.insertInto('page').values({ slug: 'home', title: 'Home' }).execute()
 *   return ctx.text('saved', { status: 201 })
 * })
 */
export class KyselyWork<DB = any> extends Kysely<DB> implements UnitOfWork {
  readonly #connections: WorkConnections

  constructor(parts: WorkParts) {
    const connections = new WorkConnections(parts)
    super({ config: { dialect: parts.dialect }, dialect: parts.dialect, driver: parts.driver as Driver, executor: parts.executor.withConnectionProvider(connections) })
    this.#connections = connections
  }

  /** Nothing to write: every query ran when it was executed. */
  async flush(): Promise<void> {}

  async begin(): Promise<void> {
    this.#connections.begin()
  }

  async commit(): Promise<void> {
    await this.#connections.commit()
  }

  async rollback(): Promise<void> {
    await this.#connections.rollback()
  }

  isInTransaction(): boolean {
    return this.#connections.inTransaction
  }

  /** Nothing to forget: Kysely keeps no identity map and no pending changes. */
  clear(): void {}

  /** Whether the request this unit works for has ended (its signal aborted). */
  get ended(): boolean {
    return this.#connections.signal?.aborted === true
  }
}

interface Running {
  connection: GuardedConnection
}

/**
 * Where a unit of work's queries run: the transaction's connection (taken
 * and begun on the first query after `begin()`), else a pooled connection
 * per query. With a request's signal, no query starts once it has aborted,
 * and the ones running when it aborts are cancelled (PostgreSQL's
 * `pg_cancel_backend`, MySQL/MariaDB's `KILL QUERY`, on a connection of
 * their own; when that fails, the connection's socket is closed), their
 * connections never lent again. libsql runs a query synchronously: there,
 * only the next query is refused.
 */
class WorkConnections implements ConnectionProvider {
  readonly #parts: WorkParts
  readonly signal: AbortSignal | undefined
  inTransaction = false
  #transaction: Promise<GuardedConnection> | undefined
  readonly #running = new Set<Running>()
  #following = false

  constructor(parts: WorkParts) {
    this.#parts = parts
    this.signal = parts.signal
  }

  begin(): void {
    if (this.signal?.aborted) throw abortReason(this.signal)
    if (this.inTransaction) throw new Error('orm/kysely: begin() was called while a transaction is open; commit or roll it back first')
    this.inTransaction = true
  }

  async commit(): Promise<void> {
    if (!this.inTransaction) throw new Error('orm/kysely: commit() needs an open transaction; call begin() first')
    // The request has its answer (503, or none: the client left): what it did must not be kept.
    if (this.signal?.aborted) throw abortReason(this.signal)
    const opened = this.#transaction
    this.#reset()
    if (!opened) return
    const connection = await opened
    const { driver } = this.#parts
    try {
      await driver.commitTransaction(connection)
    } catch (error) {
      // Not committed: undo what can be undone, and give the connection back either way.
      await driver.rollbackTransaction(connection).catch(() => {})
      throw error
    } finally {
      await driver.releaseConnection(connection)
    }
  }

  async rollback(): Promise<void> {
    if (!this.inTransaction) return
    const opened = this.#transaction
    this.#reset()
    const connection = await opened?.catch(() => undefined)
    if (!connection) return
    const { driver } = this.#parts
    try {
      await driver.rollbackTransaction(connection)
    } finally {
      await driver.releaseConnection(connection)
    }
  }

  async provideConnection<T>(consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    const { signal } = this
    if (signal?.aborted) throw abortReason(signal)
    if (this.inTransaction) return this.#run(await this.#open(), consumer)
    const connection = await this.#acquire()
    try {
      return await this.#run(connection, consumer)
    } finally {
      await this.#parts.driver.releaseConnection(connection)
    }
  }

  #acquire(): Promise<GuardedConnection> {
    return this.#parts.driver.acquire(this.signal, this.#reason)
  }

  // Made once per unit of work, not per query.
  readonly #reason = (): unknown => abortReason(this.signal!)

  /** The transaction's connection, taken and begun on first use. */
  #open(): Promise<GuardedConnection> {
    this.#transaction ??= (async () => {
      const connection = await this.#acquire()
      try {
        await this.#parts.driver.beginTransaction(connection, {})
      } catch (error) {
        await this.#parts.driver.releaseConnection(connection)
        throw error
      }
      return connection
    })()
    const opening = this.#transaction
    // A begin that failed leaves no transaction to commit or roll back.
    opening.catch(() => {
      if (this.#transaction === opening) this.#transaction = undefined
    })
    return opening
  }

  async #run<T>(connection: GuardedConnection, consumer: (connection: DatabaseConnection) => Promise<T>): Promise<T> {
    const { signal } = this
    if (!signal || !this.#parts.canceller) return consumer(connection)
    this.#follow(signal)
    const running: Running = { connection }
    this.#running.add(running)
    try {
      return await consumer(connection)
    } catch (error) {
      // A failure after the request ended is the end of the request (the cancel), not an error of its own.
      throw signal.aborted ? abortReason(signal) : error
    } finally {
      this.#running.delete(running)
    }
  }

  /** Cancel the running queries when the request's signal aborts; listened for once, on the first query. */
  #follow(signal: AbortSignal): void {
    if (this.#following) return
    this.#following = true
    const { canceller, outages } = this.#parts
    signal.addEventListener(
      'abort',
      () => {
        for (const { connection } of this.#running) {
          const raw = connection.raw
          // Before anything else: the pool destroys it when it comes back instead of lending it out.
          canceller!.discard(raw)
          canceller!.cancel(raw).then(
            () => outages.cancelled(signal.reason, 'cancelled'),
            (error: unknown) => {
              canceller!.close(raw)
              outages.cancelled(signal.reason, 'connection closed', error)
            },
          )
        }
      },
      { once: true },
    )
  }

  #reset(): void {
    this.inTransaction = false
    this.#transaction = undefined
  }
}
