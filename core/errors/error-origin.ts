import type { Middleware } from '../pipeline/middleware.js'

/** Which middleware component an error came out of; `null` once it is known to come from further in. */
const origins = new WeakMap<object, string | null>()

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
  return attributed
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
