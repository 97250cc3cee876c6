import { type Context, editHeaders, HttpError, type Logger, type Middleware } from '../../../core/index.js'
import type { requestLogOptions } from './options.js'
import { requestIdFor } from './request-id.js'
import type { z } from 'zod'

/** The fields of the one line request-log writes per request. */
export interface RequestLogLine {
  requestId: string
  method: string
  /** The path without the query string, which may carry tokens. */
  path: string
  status: number
  /** Until the response head was ready; a streamed body may take longer. */
  durationMs: number
}

/**
 * The request-log middleware: gives each request an id (`ctx.state.requestId`,
 * echoed in a response header) and logs one line when its response is ready.
 *
 * An error thrown further in is logged with the status it will become (its
 * HttpError status, else 500) and thrown on; put error-pages inside this
 * middleware so errors turn into responses that carry the id header too.
 *
 * @example
 * const mw = createRequestLog(logger, { trustHeader: false, responseHeader: 'x-request-id', level: 'info' })
 */
export function createRequestLog(logger: Logger, options: z.output<typeof requestLogOptions>): Middleware {
  const { trustHeader, responseHeader, level } = options
  // Looked up on each call: pino swaps its level methods when the level changes at run time.
  const log = (line: RequestLogLine) => logger[level](line, `${line.method} ${line.path} ${line.status}`)
  return async function requestLog(ctx, next) {
    const started = performance.now()
    const requestId = requestIdFor(ctx.request, trustHeader)
    ctx.state.requestId = requestId
    let response: Response
    try {
      response = await next()
    } catch (error) {
      log(lineOf(ctx, requestId, started, error instanceof HttpError ? error.status : 500))
      throw error
    }
    log(lineOf(ctx, requestId, started, response.status))
    return responseHeader ? editHeaders(response, (h) => h.set(responseHeader, requestId)) : response
  }
}

// At module level rather than a closure made for each request.
const lineOf = (ctx: Context, requestId: string, started: number, status: number): RequestLogLine => ({
  requestId,
  method: ctx.request.method,
  path: ctx.path,
  status,
  durationMs: Math.round((performance.now() - started) * 100) / 100,
})
