import type { Context } from '../context/context.js'

/** Answers a request. Return a `Response`; throw an `HttpError` for an error response. */
export type Handler = (ctx: Context) => Response | Promise<Response>

/**
 * Wraps the rest of the pipeline, onion-style: work before `next()` runs on the
 * way in, work after it on the way out. Call `next()` at most once.
 *
 * The response `next()` resolves to always takes `headers.set/append/delete`,
 * whatever made it (`Response.redirect()`, a `fetch()` result, a mounted app):
 * the pipeline copies one whose headers are immutable before handing it on.
 *
 * @example
 * const timing: Middleware = async (ctx, next) => {
 *   const started = performance.now()
 *   const res = await next()
 *   res.headers.set('server-timing', `app;dur=${performance.now() - started}`)
 *   return res
 * }
 */
export type Middleware = (ctx: Context, next: () => Promise<Response>) => Promise<Response>

/**
 * A middleware that does nothing but call `next()`. `compose` leaves it out of
 * the chain, so it costs a request nothing: what a middleware component
 * returns when its options turn it off for this app (the openapi component in
 * production), instead of an `async (ctx, next) => next()` that would still
 * add a promise and a frame to every request.
 *
 * @example
 * middleware: (app, o) => (o.enabled ? createThing(o) : passThrough)
 */
export const passThrough: Middleware = function passThrough(_ctx, next) {
  return next()
}
