import { HandlerNoResponse } from '../errors/codes.js'
import { isResponse } from '../gateway/is-response.js'
import { lightResponseParts } from '../gateway/light-response.js'

// A name no response carries: deleting it changes nothing, but the Fetch standard checks the guard first.
const PROBE = 'x-dovetail-writable-probe'

// Responses already probed and found writable. A guard never changes, so one probe per response is enough
// however many middleware it passes; weak, so a response is forgotten with its request.
const writable = new WeakSet<Response>()

/** The statuses `Response.redirect()` makes. */
const redirectStatuses = new Set([301, 302, 303, 307, 308])

/**
 * The response itself when its headers can be changed, else a copy that can:
 * what the pipeline hands a middleware from `next()`, so that
 * `res.headers.set(...)` after `await next()` works on every response.
 *
 * Why: the Fetch standard makes the headers of `Response.redirect()`,
 * `Response.error()` and anything `fetch()` returned immutable (a mounted app
 * that proxies answers with those), and setting one then throws a TypeError
 * that would become a 500. Copying every response would cost a Response per
 * middleware; instead the common cases cost a check:
 * - a light response (`ctx.text/json/html/redirect`) always has writable
 *   headers, and is passed on without building its Headers;
 * - a fetched response (`type` other than `'default'`) or one with a redirect
 *   status (as `Response.redirect()` makes) is copied at once: status, status
 *   text, headers and the same body stream, so a stream stays one;
 * - any other response is probed by deleting a header it does not have, a
 *   no-op unless the headers are immutable, and copied only then;
 * - either way a response is checked once however many middleware it passes.
 *
 * A network error (`Response.error()`, status 0) is no response a server can
 * send, and no copy can have status 0: it is thrown as
 * `DOVETAIL_ERR_HANDLER_NO_RESPONSE`, which the middleware outside sees as an
 * error and the app answers with a 500.
 *
 * Anything that is not a Response is passed on untouched: the app reports it.
 *
 * @example
 * const res = writableHeaders(Response.redirect('https://example.com/', 302))
 * res.headers.set('x-request-id', 'abc') // no TypeError
 */
export function writableHeaders(response: Response): Response {
  if (!isResponse(response) || lightResponseParts(response) !== undefined || writable.has(response)) return response
  // Copied without a probe: what the standard makes immutable for sure (any type but 'default': fetch()
  // results, network errors) or often (a redirect status: Response.redirect()). A failed probe costs a
  // thrown TypeError, several times the copy.
  if (response.type === 'default' && !redirectStatuses.has(response.status)) {
    try {
      response.headers.delete(PROBE)
      writable.add(response)
      return response
    } catch (error) {
      if (!(error instanceof TypeError)) throw error
    }
  }
  if (response.status === 0) {
    throw HandlerNoResponse(
      'A handler, mounted app or middleware answered with a network error (Response.error(), status 0), which no server can send. Throw an HttpError (502 for a failed upstream) instead.',
    )
  }
  const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers })
  writable.add(copy)
  return copy
}
