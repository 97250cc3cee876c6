import type { Context } from '../context/context.js'
import { MiddlewareNextTwice } from '../errors/codes.js'
import type { Handler, Middleware } from './middleware.js'
import { writableHeaders } from './writable-headers.js'

/**
 * One handler from a list of middleware around an innermost handler. Written by
 * hand rather than taken from koa-compose because it must check the Response
 * contract and stays a dozen lines; with no middleware it returns the handler
 * itself, so an app without middleware pays nothing.
 *
 * What `next()` resolves to always has writable headers ({@link writableHeaders}):
 * the documented `const res = await next(); res.headers.set(...)` must not
 * throw on a redirect or a fetched response.
 */
export function compose(middleware: readonly Middleware[], inner: Handler): Handler {
  for (const [i, mw] of middleware.entries()) {
    if (typeof mw !== 'function') {
      throw new TypeError(`Middleware #${i} is ${typeof mw}, not a function (ctx, next) => Promise<Response>`)
    }
  }
  if (middleware.length === 0) return inner
  return (ctx) => {
    const run = async (i: number): Promise<Response> => {
      const mw = middleware[i]
      if (!mw) return writableHeaders(await inner(ctx))
      let called = false
      const next = (): Promise<Response> => {
        if (called) {
          return Promise.reject(MiddlewareNextTwice(`Middleware ${mw.name || `#${i}`} called next() twice.`))
        }
        called = true
        return run(i + 1)
      }
      const response = await mw(ctx, next)
      // The outermost answer goes to the app, not to a middleware: no check needed.
      return i === 0 ? response : writableHeaders(response)
    }
    return run(0)
  }
}
