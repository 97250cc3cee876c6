import type { Middleware } from '../pipeline/middleware.js'
import type { Context, ContextState } from './context.js'

declare const adds: unique symbol

/**
 * A middleware that declares the fields it puts on `ctx.state` (made by
 * {@link defineMiddleware}): a route that lists it in `use` hands its handler
 * a `ctx.state` with those fields typed and present, as Hono's `c.var` does.
 * At run time it is the function itself.
 */
export type StateMiddleware<Adds extends object> = Middleware & { readonly [adds]?: Adds }

/** The fields the middleware of a `use` list declare, as one type (`{}` for none). */
export type StateAddedBy<Use> = Use extends readonly unknown[] ? Intersect<AddedBy<Use[number]>> : {}

// A plain middleware has no declaration, which infers as unknown: it adds nothing ({}), rather than
// unknown, which would swallow the other members of the union.
type AddedBy<M> = M extends { readonly [adds]?: infer A } ? (unknown extends A ? {} : Exclude<A, undefined>) : {}

type Intersect<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never

/**
 * Declare what a middleware puts on `ctx.state`. Inside, those fields are
 * optional (the middleware sets them); in the handler of a route whose
 * `use` lists the middleware they are typed and present. For fields every
 * route has, augment `ContextState` instead (docs/validation.md#types).
 *
 * @example
 * const withUser = defineMiddleware<{ user: { id: number } }>(async (ctx, next) => {
 *   ctx.state.user = { id: 1 }
 *   return next()
 * })
 * r.get('/me', { use: [withUser] }, (ctx) => ctx.json({ id: ctx.state.user.id }))
 */
export function defineMiddleware<Adds extends object>(
  middleware: (ctx: Context<Record<string, string>, {}, ContextState & Partial<Adds>>, next: () => Promise<Response>) => Promise<Response>,
): StateMiddleware<Adds> {
  return middleware as StateMiddleware<Adds>
}
