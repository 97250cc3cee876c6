import type { Context } from '../context/context.js'
import { MiddlewareNextTwice } from '../errors/codes.js'
import { attributionOf, markOrigin } from '../errors/error-origin.js'
import { type Handler, type Middleware, passThrough } from './middleware.js'
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
  // A component's middleware arrives wrapped by attributeErrors; run what it wraps and tag its
  // errors here. Every level tags what it throws (a component with its name, anything else with
  // null) and a deeper tag wins, so the component named is the innermost one that threw.
  // passThrough (a component turned off by its options) is left out: it would only cost a level.
  const levels = middleware
    .map((mw, i) => ({ fn: attributionOf(mw)?.middleware ?? mw, name: attributionOf(mw)?.name ?? null, label: mw.name || `#${i}` }))
    .filter((level) => level.fn !== passThrough)
  if (levels.length === 0) return inner
  const fns = levels.map((level) => level.fn)
  const names = levels.map((level) => level.name)
  const labels = levels.map((level) => level.label)
  // Each level's error handler, made once: tags what the level threw (see above) and throws it on.
  const tags = names.map((name) => (error: unknown): never => {
    markOrigin(error, name)
    throw error
  })
  const tagInner = (error: unknown): never => {
    markOrigin(error, null)
    throw error
  }
  const checkInner = (response: Response): Response => {
    try {
      return writableHeaders(response)
    } catch (error) {
      return tagInner(error)
    }
  }
  // Not async functions: one `.then` per level instead of an async frame's promise and an await
  // around the middleware's own promise, in a chain every request runs through.
  return (ctx) => {
    const run = (i: number): Promise<Response> => {
      const mw = fns[i]
      if (!mw) {
        let answer: Response | Promise<Response>
        try {
          answer = inner(ctx)
        } catch (error) {
          markOrigin(error, null)
          return Promise.reject(error)
        }
        return Promise.resolve(answer).then(checkInner, tagInner)
      }
      let called = false
      const next = (): Promise<Response> => {
        if (called) {
          return Promise.reject(MiddlewareNextTwice(`Middleware ${labels[i]} called next() twice.`))
        }
        called = true
        return run(i + 1)
      }
      let answer: Promise<Response>
      try {
        answer = mw(ctx, next)
      } catch (error) {
        markOrigin(error, names[i]!)
        return Promise.reject(error)
      }
      // The outermost answer goes to the app, not to a middleware: no check needed.
      return Promise.resolve(answer).then(i === 0 ? undefined : writableHeaders, tags[i])
    }
    return run(0)
  }
}
