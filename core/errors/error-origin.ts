import type { Middleware } from '../pipeline/middleware.js'

/** Which middleware component an error came out of; `null` once it is known to come from further in. */
const origins = new WeakMap<object, string | null>()

/** What {@link attributeErrors} wrapped: compose() runs the middleware itself and attributes inline. */
const wrapped = new WeakMap<Middleware, { name: string; middleware: Middleware }>()

/**
 * Wrap a middleware component's middleware so an error it throws itself is
 * tagged with the component's name, for error pages and logs ("thrown in
 * middleware/session"). An error that merely passes through it on the way out
 * of `next()` is marked as coming from further in, so the innermost component
 * that really threw is the one named.
 *
 * @example
 * const mw = attributeErrors('middleware/session', session.middleware(app, options))
 */
export function attributeErrors(name: string, middleware: Middleware): Middleware {
  const passedThrough = (error: unknown): never => {
    if (isObject(error) && !origins.has(error)) origins.set(error, null)
    throw error
  }
  const attributed: Middleware = async (ctx, next) => {
    try {
      return await middleware(ctx, () => next().catch(passedThrough))
    } catch (error) {
      if (isObject(error) && !origins.has(error)) origins.set(error, name)
      throw error
    }
  }
  Object.defineProperty(attributed, 'name', { value: middleware.name || name })
  wrapped.set(attributed, { name, middleware })
  return attributed
}

/**
 * For compose(): the component name and the middleware inside an
 * {@link attributeErrors} wrapper, so the pipeline can call the middleware
 * directly and tag errors in its own frame (see compose.ts) instead of paying
 * two more async frames and a `.catch` per middleware per request.
 */
export function attributionOf(middleware: Middleware): { name: string; middleware: Middleware } | undefined {
  return wrapped.get(middleware)
}

/**
 * Record where an error came from, unless a deeper frame already did:
 * `name` for the middleware component that threw it, `null` for anything
 * else (a handler, app middleware), so no component further out claims it.
 */
export function markOrigin(error: unknown, name: string | null): void {
  if (isObject(error) && !origins.has(error)) origins.set(error, name)
}

/**
 * The name of the middleware component an error was thrown in, or `undefined`
 * when it came from a route handler, app middleware, or outside the pipeline.
 *
 * @example
 * const where = errorOrigin(details.error) // 'middleware/body'
 */
export function errorOrigin(error: unknown): string | undefined {
  return isObject(error) ? (origins.get(error) ?? undefined) : undefined
}

const isObject = (value: unknown): value is object => (typeof value === 'object' && value !== null) || typeof value === 'function'
