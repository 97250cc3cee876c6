import type { z } from 'zod'
import {
  DovetailError,
  errorDetails,
  errorOrigin,
  lightResponse,
  prefersHtml,
  problemResponse,
  type ErrorDetails,
  type ErrorRenderer,
  type Logger,
  type Middleware,
} from '../../../core/index.js'
import { debugPage } from './debug-page.js'
import { friendlyPage } from './friendly-page.js'
import type { errorPagesOptions } from './options.js'
import { requestIdOf } from './request-data.js'

type Resolved = z.output<typeof errorPagesOptions>

/**
 * Each request's state, recorded by the middleware on the request under a
 * symbol no one else knows, so the renderer can show the request id even for
 * error responses built outside the middleware (`ctx.notFound()`, errors
 * thrown by middleware further out). A property, not a WeakMap keyed on the
 * request: an entry per request is ephemeron work for every garbage
 * collection. It goes with the request.
 */
const stateKey = Symbol('dovetail.errorPages.state')

type WithState = Request & { [stateKey]?: Record<string, unknown> }

/**
 * The error renderer: a debug page or a friendly page (HTML), or a JSON body,
 * by the request's Accept header and the `format` option.
 *
 * @example
 * const render = createErrorPageRenderer(errorPagesOptions.parse({}), 'production')
 * render(errorDetails(new Error('x'), request, 'production')) // 500, friendly page or JSON
 */
export function createErrorPageRenderer(options: Resolved, environment: string): ErrorRenderer {
  const debug = options.debug ?? environment === 'development'
  return (d) => {
    const requestId = requestIdOf((d.request as WithState)[stateKey], d.request)
    const showDebug = debug && d.status >= 500
    const headers = new Headers(d.headers)
    const html = options.format === 'html' || (options.format === 'negotiate' && prefersHtml(d.request.headers.get('accept')))
    if (!html) {
      // Invalid input is answered as RFC 9457 problem details by every renderer.
      const problem = problemResponse(d, requestId ? { requestId } : {})
      if (problem) return problem
      headers.set('content-type', 'application/json; charset=utf-8')
      if (showDebug) headers.set('cache-control', 'no-store')
      return lightResponse(JSON.stringify({ error: jsonError(d, requestId, showDebug) }), d.status, headers)
    }
    const { html: body, csp } = showDebug
      ? debugPage(d, { contextLines: options.contextLines, appRoot: options.appRoot, redactHeaders: options.redactHeaders, requestId })
      : friendlyPage(d, requestId)
    headers.set('content-type', 'text/html; charset=utf-8')
    headers.set('content-security-policy', csp)
    if (showDebug) headers.set('cache-control', 'no-store')
    return lightResponse(body, d.status, headers)
  }
}

function jsonError(d: ErrorDetails, requestId: string | undefined, debug: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { status: d.status, code: d.code, message: d.message }
  if (requestId) body.requestId = requestId
  if (debug) {
    const e = d.error
    const origin = errorOrigin(e)
    body.debug =
      e instanceof Error
        ? { name: e.name, message: e.message, stack: e.stack, ...(e instanceof DovetailError ? { code: e.code } : {}), ...(origin ? { component: origin } : {}) }
        : { thrown: String(e) }
  }
  return body
}

/**
 * The middleware: turns errors thrown further in (by handlers, the router's
 * 404 and 405, inner middleware) into responses here, so middleware further
 * out (request-log, security headers, CORS) sees and decorates them. Logs
 * 5xx errors as the core does, with the request id.
 *
 * @example
 * const mw = createErrorPages('production', logger, createErrorPageRenderer(errorPagesOptions.parse({}), 'production'))
 */
export function createErrorPages(environment: string, logger: Logger, render: ErrorRenderer): Middleware {
  return async function errorPages(ctx, next) {
    const request = ctx.request as WithState
    // A request someone froze keeps no state: the id then comes from the x-request-id header, if any.
    if (Object.isExtensible(request)) request[stateKey] = ctx.state
    try {
      return await next()
    } catch (error) {
      const details = errorDetails(error, ctx.request, environment)
      if (details.status >= 500) {
        const component = errorOrigin(error)
        logger.error(
          { err: error, method: ctx.request.method, url: ctx.request.url, requestId: ctx.state.requestId, ...(component ? { component } : {}) },
          'uncaught error while handling a request',
        )
      }
      return render(details)
    }
  }
}
