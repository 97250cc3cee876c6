import { defineComponent, Logger } from '../../../core/index.js'
import { requestLogOptions } from './options.js'
import { createRequestLog } from './request-log.js'

/**
 * One log line per request (method, path, status, duration, request id), and a
 * request id for the rest of the pipeline in `ctx.state.requestId`.
 *
 * @example
 * import { requestLog } from 'dovetailjs/components/middleware/request-log'
 * defineConfig({ components: { logger: 'pino', middleware: [requestLog({ trustHeader: 'x-request-id' })] } })
 * // or by name, with the defaults: components: { middleware: ['request-log'] }
 */
export const requestLog = defineComponent({
  name: 'middleware/request-log',
  slot: 'middleware',
  contract: '^1.0',
  options: requestLogOptions,
  middleware: (app, options) => createRequestLog(app.resolve(Logger), options),
})
