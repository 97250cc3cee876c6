import { HttpError, type Orm } from '../../../core/index.js'

/**
 * The error to answer with when `error` may be a unique-constraint violation:
 * a 409 `HttpError` (code `DOVETAIL_ERR_HTTP_CONFLICT`) if the ORM says it is
 * one, else `error` itself. The message names no table or constraint, so the
 * schema does not leak; the original error stays as `cause`.
 *
 * @example
 * try {
 *   await em.flush()
 * } catch (error) {
 *   throw toHttpConflict(error, ctx.resolve(Orm))
 * }
 */
export function toHttpConflict(error: unknown, orm: Pick<Orm, 'isUniqueViolation'>): unknown {
  if (error instanceof HttpError || !orm.isUniqueViolation(error)) return error
  return new HttpError(409, 'A record with the same unique value already exists.', { code: 'DOVETAIL_ERR_HTTP_CONFLICT', cause: error })
}
