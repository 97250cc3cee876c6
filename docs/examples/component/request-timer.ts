import { z } from 'zod'
import { defineComponent } from 'dovetailjs'

/**
 * A third-party style middleware component: it adds a `Server-Timing` header.
 * Options are validated at startup against the schema; a bad value stops the
 * app with a message naming 'acme/request-timer' and the option.
 */
export const requestTimer = defineComponent({
  name: 'acme/request-timer',
  slot: 'middleware',
  contract: '^1.0',
  options: z.strictObject({
    /** The metric name in the header. */
    metric: z.string().regex(/^[a-z][a-z0-9-]*$/).default('app'),
  }),
  middleware: (_app, options) =>
    async function requestTimerMiddleware(_ctx, next) {
      const started = performance.now()
      const response = await next()
      response.headers.set('server-timing', `${options.metric};dur=${(performance.now() - started).toFixed(2)}`)
      return response
    },
})

export default requestTimer
