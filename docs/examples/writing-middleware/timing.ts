import { z } from 'zod'
import { defineComponent, editHeaders, type Middleware } from 'dovetailjs'

/**
 * Plain middleware: a function of the context and `next`. Work before `next()`
 * runs on the way in, work after it on the way out.
 */
export const poweredBy: Middleware = async (_ctx, next) => {
  const response = await next()
  // editHeaders copies the response when its headers are immutable (redirects, fetch() results).
  return editHeaders(response, (headers) => headers.set('x-powered-by', 'Dovetail'))
}

/** Short-circuit: answer without calling `next()`. */
export const maintenance = (enabled: () => boolean): Middleware =>
  async function maintenanceMiddleware(ctx, next) {
    if (enabled()) return ctx.text('Down for maintenance', { status: 503, headers: { 'retry-after': '60' } })
    return next()
  }

/**
 * The same idea as a component: named, with validated options, placed in the
 * middleware list where a preset or config wants it, removable by name.
 */
export const timing = defineComponent({
  name: 'acme/timing',
  slot: 'middleware',
  contract: '^1.0',
  options: z.strictObject({ header: z.string().default('server-timing') }),
  middleware: (_app, options) =>
    async function timingMiddleware(ctx, next) {
      const started = performance.now()
      ctx.state.startedAt = started
      const response = await next()
      return editHeaders(response, (h) => h.set(options.header, `app;dur=${(performance.now() - started).toFixed(1)}`))
    },
})
