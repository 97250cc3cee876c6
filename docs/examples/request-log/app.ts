import type { Writable } from 'node:stream'
import { createApp, defineConfig } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { requestLog } from 'dovetailjs/components/middleware/request-log'

/**
 * An app that logs one line per request. Behind a proxy that sets
 * `x-request-id`, the proxy's id is kept, so one id follows a request from the
 * proxy's logs into the app's. `logTo` is a stream for the test; stdout otherwise.
 */
export const createRequestLogApp = (logTo?: Writable) =>
  createApp(
    defineConfig({
      environment: 'production',
      components: {
        logger: pinoLogger(logTo ? { destination: logTo } : {}),
        middleware: [requestLog({ trustHeader: 'x-request-id' })],
      },
      routes(r) {
        r.get('/orders/:id', (ctx) => ctx.json({ order: ctx.params.id, requestId: ctx.state.requestId }))
      },
    }),
  )
