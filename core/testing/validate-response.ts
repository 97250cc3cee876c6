import { isResponse } from '../gateway/is-response.js'
import { lightResponseParts } from '../gateway/light-response.js'
import type { BreachLog } from './breach-log.js'
import { describeValue } from './describe-value.js'
import { watchResponseBody } from './validate-response-body.js'

/**
 * Response headers an app must leave to the server, and why. They describe
 * the connection or the framing of the bytes on it, which only the server
 * knows (RFC 9110 §7.6.1); `Status` is read as the status line by every
 * CGI-family gateway (CGI, FastCGI, SCGI), as wsgiref.validate also refuses.
 */
const forbiddenHeaders: Record<string, string> = {
  'transfer-encoding': 'the server frames the body itself (chunked or by length), and a second framing corrupts the response',
  connection: 'it manages the connection, which the server owns',
  'keep-alive': 'it manages the connection, which the server owns',
  'proxy-connection': 'it manages the connection, which the server owns',
  upgrade: 'switching protocols is the server’s, not a fetch handler’s',
  te: 'it is a request header about the connection',
  trailer: 'a fetch Response cannot send trailers',
  status: 'CGI, FastCGI and SCGI gateways read it as the status line',
}

export interface ResponseCheckOptions {
  streamTimeout: number
}

/**
 * Check what a handler returned, at the moment it returned it, and watch
 * what happens to it afterwards: its headers must not change any more, and
 * a streamed body must keep producing until it closes.
 */
export function checkReturned(result: unknown, request: Request, where: string, log: BreachLog, options: ResponseCheckOptions): unknown {
  if (!isResponse(result)) {
    log.raise('not-a-response', `${where}: the handler returned ${describeValue(result)} instead of a Response. Return new Response(body, { status, headers }) (or throw, and let the host answer 500).`)
    return result
  }
  const response = result
  const status = response.status
  if (!Number.isInteger(status) || status < 200 || status > 599) {
    const why =
      status === 101
        ? '101 Switching Protocols is not an answer a fetch handler can give; upgrades belong to the server'
        : status === 0
          ? 'status 0 is Response.error(), a network error, not an answer: throw, or return a 5xx'
          : 'a fetch handler answers with a final status, 200 to 599'
    log.raise('status-out-of-range', `${where}: the response has status ${status}; ${why}.`)
  }
  if (response.bodyUsed) {
    log.raise('response-body-used', `${where}: the response's body was already read (bodyUsed), so the server has nothing to send. Return a new Response with the bytes you read.`)
  }
  const light = lightResponseParts(response)
  const headers = response.headers
  for (const [name, value] of headers) {
    const why = forbiddenHeaders[name]
    if (why) log.raise('forbidden-header', `${where}: the response sets ${name}: ${value}; ${why}. Remove it and let the server write it.`)
  }
  const hasBody = light ? light.body !== null : response.body !== null
  if (request.method === 'HEAD' && hasBody) {
    log.raise(
      'head-with-body',
      `${where}: the response to HEAD has a body. Answer HEAD with new Response(null, { status, headers }), keeping the content-length the GET would have (a Dovetail app does this for you).`,
    )
  }
  if (light && light.body !== null && request.method !== 'HEAD') {
    const declared = headers.get('content-length')
    const actual = typeof light.body === 'string' ? new TextEncoder().encode(light.body).byteLength : light.body.byteLength
    if (declared !== null && Number(declared) !== actual) {
      log.raise('content-length-mismatch', `${where}: the response declares content-length: ${declared} but its body has ${actual} bytes. Drop the header (the server counts) or make it match.`)
    }
  }
  if (!light && hasBody && request.method !== 'HEAD') watchResponseBody(response, where, log, options.streamTimeout)
  freezeHeaders(headers, where, log)
  return response
}

/**
 * From now on, a change to the headers is a breach: the server may already
 * have sent them, so the change is lost, or races with the write. The
 * mutators are shadowed on this one Headers object; in 'throw' mode the
 * change is refused where it is made, which points at the culprit.
 */
function freezeHeaders(headers: Headers, where: string, log: BreachLog): void {
  for (const method of ['set', 'append', 'delete'] as const) {
    const original = headers[method] as (...args: unknown[]) => unknown
    Object.defineProperty(headers, method, {
      configurable: true,
      writable: true,
      value(...args: unknown[]) {
        log.raise(
          'headers-changed-after-return',
          `${where}: headers.${method}('${String(args[0])}') after the handler had returned the response. The server may have sent the headers already; set them before returning (in a middleware: before it returns the response it got from next()).`,
        )
        return original.apply(headers, args)
      },
    })
  }
}
