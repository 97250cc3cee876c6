import { type AnyEntity, type Constructor, type EntityData, type LoggingOptions, type Transaction, TransactionEventBroadcaster, type TransactionOptions } from '@mikro-orm/core'
import { type AbstractSqlConnection, type Knex, type QueryResult, SqlEntityManager } from '@mikro-orm/knex'
import { HttpError } from '../../../core/index.js'
import { abortReason, type RequestQueries } from './request-queries.js'

/**
 * A transaction `begin()` asked for and the first query opens. Until then it
 * stands in the fork's transaction context, where MikroORM reads it for every
 * query (`ctx` of the driver's calls, of query builders and of `flush`); the
 * connection's `execute`, `begin`, `commit` and `rollback` are wrapped
 * (`openLazyTransactions`) to swap it for the real one, opening it on first
 * use. knex's `transacting()` ignores it (it has no `client`), so a query
 * builder compiles the same SQL with it as with a real transaction.
 */
export class LazyTransaction {
  #opened: Promise<Transaction> | undefined
  #broadcaster: TransactionEventBroadcaster

  constructor(
    readonly em: DovetailEntityManager,
    readonly options: TransactionOptions,
  ) {
    // Built now, as MikroORM's own begin() does: the start events fire when the transaction really opens.
    this.#broadcaster = new TransactionEventBroadcaster(em, undefined, { topLevelTransaction: true })
  }

  /** Whether a query opened it (else commit and rollback have nothing to send). */
  get opened(): Promise<Transaction> | undefined {
    return this.#opened
  }

  /** The real transaction, begun on the write connection at the first call. */
  open(): Promise<Transaction> {
    if (this.#opened) return this.#opened
    const { em } = this
    const signal = em.request?.signal
    if (signal?.aborted) return Promise.reject(abortReason(signal))
    const opening = connectionOf(em)
      .begin({ ...this.options, eventBroadcaster: this.#broadcaster, loggerContext: em.getLoggerContext() })
      .catch((error: unknown) => {
        // A begin that failed opened nothing: the next query tries again, a rollback has nothing to undo.
        if (this.#opened === opening) this.#opened = undefined
        throw em.ended(error)
      }) as Promise<Transaction>
    this.#opened = opening
    return opening
  }

  /** Commit what the first query opened; nothing to send when no query ran. */
  async commit(): Promise<void> {
    const opened = this.#opened
    if (opened) await connectionOf(this.em).commit(await opened, new TransactionEventBroadcaster(this.em), this.em.getLoggerContext())
  }

  /** Roll back what the first query opened; nothing to send when no query ran, or its begin failed. */
  async rollback(): Promise<void> {
    const trx = await this.#opened?.catch(() => undefined)
    if (trx) await connectionOf(this.em).rollback(trx, new TransactionEventBroadcaster(this.em), this.em.getLoggerContext())
  }
}

const connectionOf = (em: SqlEntityManager): AbstractSqlConnection => em.getConnection('write')

/** MikroORM keeps these to itself: the fork's transaction, and the unit of work's queue of actions. */
interface EntityManagerInternals {
  transactionContext?: Transaction | LazyTransaction
  disableTransactions: boolean
}

/** The entity manager class this component gives MikroORM (`entityManager`): the app's own, or MikroORM's, extended. */
export interface DovetailEntityManager extends SqlEntityManager {
  /** The request this fork works for, when it was given its signal. */
  request: RequestQueries | undefined
  /** A failure after the request ended is the end of the request, not an outage (the cancel closed the connection, say). */
  ended(error: unknown): unknown
}

const made = new WeakMap<Constructor<SqlEntityManager>, Constructor<DovetailEntityManager>>()

/**
 * The app's entity manager class (MikroORM's `SqlEntityManager` unless
 * `mikroOrm.entityManager` names one), extended with what the unit of work
 * contract needs on top of MikroORM's, on the prototype so that a fork per
 * request allocates nothing more than MikroORM's own:
 * - `begin()` opens its transaction lazily, on the first query or flush of
 *   the fork ({@link LazyTransaction}): a request that begins and never
 *   queries (a form that fails validation) takes no connection and sends no
 *   `BEGIN`/`COMMIT`; `isInTransaction()` is true from `begin()` on all the
 *   same. A nested `begin({ ctx })` (a savepoint) opens at once, as before;
 * - a fork made for a request refuses `begin()` and `commit()` once the
 *   request's signal has aborted, and reports failures after that as the
 *   end of the request;
 * - `rollback()` also forgets the pending changes, as the contract says
 *   (MikroORM's keeps what was persisted in the transaction, so a later
 *   flush would write what the rollback was meant to undo);
 * - `execute()` passes the fork's logger context (MikroORM's passes none),
 *   so raw SQL is followed like the rest.
 */
export function dovetailEntityManager(base: Constructor<SqlEntityManager> = SqlEntityManager): Constructor<DovetailEntityManager> {
  const known = made.get(base)
  if (known) return known
  const Base = base as unknown as typeof SqlEntityManager
  class Extended extends Base implements DovetailEntityManager {
    request: RequestQueries | undefined = undefined

    ended(error: unknown): unknown {
      const signal = this.request?.signal
      return signal?.aborted && !(error instanceof HttpError) ? abortReason(signal) : error
    }

    override async begin(options: Omit<TransactionOptions, 'ignoreNestedTransactions'> = {}): Promise<void> {
      const signal = this.request?.signal
      if (signal?.aborted) throw abortReason(signal)
      const self = this as unknown as EntityManagerInternals
      // A savepoint inside an open transaction (or one MikroORM is told to join) opens now, as MikroORM's does.
      if (self.disableTransactions || options.ctx !== undefined) {
        await super.begin(options).catch((error: unknown) => Promise.reject(this.ended(error)))
        return
      }
      self.transactionContext = new LazyTransaction(this, options)
    }

    override async commit(): Promise<void> {
      // The request has its answer (503, or none: the client left): what it did must not be kept.
      const signal = this.request?.signal
      if (signal?.aborted) throw abortReason(signal)
      const self = this as unknown as EntityManagerInternals
      const lazy = self.transactionContext
      if (!(lazy instanceof LazyTransaction)) {
        await super.commit().catch((error: unknown) => Promise.reject(this.ended(error)))
        return
      }
      try {
        // As MikroORM's commit: flush (which opens the transaction when there is something to write), then commit.
        await this.flush()
        await lazy.commit()
      } catch (error) {
        throw this.ended(error)
      }
      if (self.transactionContext === lazy) self.transactionContext = undefined
    }

    override async rollback(): Promise<void> {
      const self = this as unknown as EntityManagerInternals
      const lazy = self.transactionContext
      try {
        if (lazy instanceof LazyTransaction) {
          if (self.transactionContext === lazy) self.transactionContext = undefined
          await lazy.rollback()
        } else {
          await super.rollback()
        }
      } finally {
        this.clear()
      }
    }

    override execute<T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] = EntityData<AnyEntity>[]>(
      queryOrKnex: string | Knex.QueryBuilder | Knex.Raw,
      params?: unknown[],
      method?: 'all' | 'get' | 'run',
      loggerContext?: LoggingOptions,
    ): Promise<T> {
      return super.execute<T>(queryOrKnex, params, method, loggerContext ?? this.getLoggerContext())
    }
  }
  const extended = Extended as unknown as Constructor<DovetailEntityManager>
  made.set(base, extended)
  return extended
}

type Wrapped = (...args: unknown[]) => Promise<unknown>

/**
 * Let a connection take a {@link LazyTransaction} wherever MikroORM passes
 * the fork's transaction context: `execute` (every query: finds, flushes,
 * query builders, raw SQL) opens it and runs in it; `begin` with it as the
 * parent (a savepoint, `em.transactional()` inside it) opens it first;
 * `commit` and `rollback` of it send nothing when no query opened it.
 * Installed once per connection, when the ORM opens.
 */
export function openLazyTransactions(connection: AbstractSqlConnection): void {
  const target = connection as unknown as Record<'execute' | 'begin' | 'commit' | 'rollback', Wrapped>
  const execute = target.execute.bind(connection)
  target.execute = (query, params, method, ctx, loggerContext) =>
    ctx instanceof LazyTransaction ? ctx.open().then((trx) => execute(query, params, method, trx, loggerContext)) : execute(query, params, method, ctx, loggerContext)
  const begin = target.begin.bind(connection)
  target.begin = async (options?: unknown) => {
    const parent = (options as { ctx?: unknown } | undefined)?.ctx
    return begin(parent instanceof LazyTransaction ? { ...(options as object), ctx: await parent.open() } : options)
  }
  for (const name of ['commit', 'rollback'] as const) {
    const end = target[name].bind(connection)
    target[name] = (ctx, ...rest) => (ctx instanceof LazyTransaction ? ctx[name]() : end(ctx, ...rest))
  }
}
