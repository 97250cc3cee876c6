import type { FetchHandler, HasFetch } from '../gateway/fetch-handler.js'
import { BreachLog, type BreachOptions, type BreachRecord } from './breach-log.js'
import { watchRequestBody } from './validate-request-body.js'
import { checkReturned } from './validate-response.js'

export interface ValidateAppOptions extends BreachOptions {
  /**
   * How long a streamed response body may leave the server waiting for its
   * next chunk or its end before that is a breach (`stream-not-closed`).
   * Raise it for bodies that are slow on purpose (server-sent events).
   * @default 10000
   */
  streamTimeout?: number
}

/** A fetch handler that checks the gateway contract on every call, with what it found. */
export type ValidatedHandler = ((request: Request) => Promise<Response>) & BreachRecord

/**
 * Wrap a fetch handler (or an app) so that it checks, on every request, the
 * app's side of the gateway contract: what `wsgiref.validate` is to a WSGI
 * app. A breach throws a {@link GatewayContractError} (`error.breach` says
 * which) where it happens, and is recorded in `breaches`:
 *
 * - `not-a-response`: the handler returned something other than a Response;
 * - `status-out-of-range`: a status outside 200-599 (`Response.error()`, a 101);
 * - `forbidden-header`: `Transfer-Encoding`, `Connection`, `Keep-Alive`,
 *   `Upgrade`, `TE`, `Trailer`, `Proxy-Connection` or `Status`, which are the server's;
 * - `head-with-body`: an answer to HEAD with a body;
 * - `response-body-used`: a response whose body was already read;
 * - `headers-changed-after-return`: `headers.set/append/delete` after the
 *   handler returned the response;
 * - `body-read-twice`: the request body read a second time (names both reads);
 * - `body-chunk-not-bytes`: a body stream that produces strings or other non-bytes;
 * - `stream-not-closed`: a body stream that leaves the server waiting
 *   `streamTimeout` ms for a chunk or its end;
 * - `content-length-mismatch`: a content-length other than the body's length.
 *
 * It passes the request on as the same object (the server's state on it,
 * such as the client address, stays) and changes nothing a correct app can
 * observe. A handler that throws is not a breach: the error goes to the
 * server as it would without the validator.
 *
 * @example
 * import { validateApp } from 'dovetailjs/testing'
 *
 * const checked = validateApp(app, { onBreach: 'record' })
 * serve({ fetch: checked, port: 3000 })
 * // ... send requests, then:
 * checked.assertNoBreaches()
 */
export function validateApp(target: FetchHandler | HasFetch, options: ValidateAppOptions = {}): ValidatedHandler {
  const call: FetchHandler = typeof target === 'function' ? target : (request) => target.fetch(request)
  const log = new BreachLog('app', options)
  const check = { streamTimeout: options.streamTimeout ?? 10_000 }
  const validated = async (request: Request): Promise<Response> => {
    const where = `${request.method} ${safePath(request)}`
    watchRequestBody(request, log, where)
    const result = await call(request)
    return checkReturned(result, request, where, log, check) as Response
  }
  return Object.assign(validated, {
    breaches: log.breaches,
    assertNoBreaches: () => log.assertNoBreaches(),
  })
}

function safePath(request: Request): string {
  try {
    const url = new URL(request.url)
    return url.pathname + url.search
  } catch {
    return String(request.url)
  }
}
