import { z } from 'zod'
import { type Context, Db, defineComponent, HttpError, Logger, type Middleware, Orm, type UnitOfWork } from '../../../core/index.js'
import { toHttpConflict } from './conflict.js'

const httpMethod = z
  .string()
  .regex(/^[A-Za-z]+$/, 'each method must be an HTTP method name such as POST')
  .transform((m) => m.toUpperCase())

export const transactionOptions = z.strictObject({
  /**
   * Requests that run in a transaction, by method; `'all'` for every request.
   * @default ['POST', 'PUT', 'PATCH', 'DELETE'] (reads need none, and would hold a connection for nothing)
   */
  methods: z.union([z.literal('all'), z.array(httpMethod)]).default(['POST', 'PUT', 'PATCH', 'DELETE']),
  /** Answer unique-constraint violations with 409 Conflict, on every request. @default true */
  conflicts: z.boolean().default(true),
})

/** Options of the `middleware/transaction` component. */
export type TransactionOptions = z.input<typeof transactionOptions>

/**
 * A transaction per request, on the orm slot's contract (any ORM component).
 * For each request whose method is listed it begins a transaction on the
 * request's `Db` before the handler runs, then:
 * - the handler returns a response with status below 400: flush and commit;
 * - it returns 400 or above, or throws: roll back, so nothing is written;
 * - the handler already committed or rolled back: nothing more;
 * - `ctx.signal` aborted meanwhile (the time limit passed, the client
 *   left): roll back, whatever the handler answered, since the client got
 *   a 503 or nothing.
 * A unique-constraint violation, thrown by the handler or by the final
 * flush, becomes a 409 with code `DOVETAIL_ERR_HTTP_CONFLICT`.
 *
 * @example
 * import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
 * import { transaction } from 'dovetailjs/components/middleware/transaction'
 * defineConfig({ components: { orm: mikroOrm({ entities }), middleware: { append: [transaction()] } } })
 */
export const transaction = defineComponent({
  name: 'middleware/transaction',
  slot: 'middleware',
  contract: '^1.0',
  requires: ['orm'],
  options: transactionOptions,
  middleware(app, options) {
    const orm = app.resolve(Orm)
    const logger = app.resolve(Logger)
    const listed = options.methods === 'all' ? undefined : new Set(options.methods)
    const mapConflict = (error: unknown) => (options.conflicts ? toHttpConflict(error, orm) : error)
    const rollback = async (db: UnitOfWork, ctx: Context) => {
      try {
        if (db.isInTransaction()) await db.rollback()
      } catch (error) {
        // The error that caused the rollback is the one worth answering with; keep this one in the log.
        const fields = { err: error, method: ctx.request.method, url: ctx.request.url }
        // The database is down (the ORM reported it) or the request ended: the database drops the
        // transaction with its connection, so nothing is kept, and there is no bug to report.
        if ((error instanceof HttpError && error.status === 503) || ctx.signal.aborted) logger.debug(fields, 'rolling back the request transaction failed')
        else logger.error(fields, 'rolling back the request transaction failed')
      }
    }

    const middleware: Middleware = async function transaction(ctx, next) {
      if (listed && !listed.has(ctx.request.method)) {
        if (!options.conflicts) return next()
        try {
          return await next()
        } catch (error) {
          throw mapConflict(error)
        }
      }
      const db = ctx.resolve(Db)
      await db.begin()
      let response: Response
      try {
        response = await next()
      } catch (error) {
        await rollback(db, ctx)
        throw mapConflict(error)
      }
      if (!db.isInTransaction()) return response
      if (response.status >= 400) {
        await rollback(db, ctx)
        return response
      }
      // The time limit passed or the client left while the handler ran: it answered, but the client
      // got a 503 or nothing, so what it did must not be kept.
      if (ctx.signal.aborted) {
        await rollback(db, ctx)
        throw ctx.signal.reason
      }
      try {
        await db.commit()
      } catch (error) {
        await rollback(db, ctx)
        throw mapConflict(error)
      }
      return response
    }
    return middleware
  },
})
