import type { Token } from '../container/token.js'

/** A service a middleware resolves per request, and what to tell the developer when no component registers it. */
export interface MiddlewareNeed {
  token: Token<unknown>
  /** Says what to add to the config, e.g. `components: { cache: 'memory' }`; the route is named before it. */
  hint: string
}

const needsKey = Symbol.for('dovetail.middlewareNeeds')
type WithNeeds = { [needsKey]?: readonly MiddlewareNeed[] }

/**
 * Marks a middleware as resolving services that a component must register,
 * so that a route or group whose `use` lists it stops `createApp` (and
 * `dovetail check`) with `DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT` when
 * none does, rather than failing on its first request. Route middleware is
 * not a component, so the component requirement check can't see it; this is
 * its way to say the same. Returns `fn`.
 *
 * @example
 * export const rateLimit = (options: RateLimitOptions): Middleware =>
 *   withNeeds(async (ctx, next) => (await ctx.resolve(Cache).get(key(ctx)) ? tooMany() : next()), {
 *     token: Cache,
 *     hint: "rateLimit() needs a cache: add components: { cache: 'memory' } to the config.",
 *   })
 */
export function withNeeds<F extends (...args: never[]) => unknown>(fn: F, ...needs: readonly MiddlewareNeed[]): F {
  Object.defineProperty(fn, needsKey, { value: Object.freeze([...needsOf(fn), ...needs]), configurable: true, enumerable: false })
  return fn
}

/** What {@link withNeeds} put on a function; none for anything else. */
export function needsOf(fn: unknown): readonly MiddlewareNeed[] {
  return (typeof fn === 'function' && (fn as WithNeeds)[needsKey]) || []
}
