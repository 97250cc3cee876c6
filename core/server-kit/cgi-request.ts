import { setClientAddress } from '../gateway/client-address.js'
import { checkCgiPath } from './cgi-path-check.js'
import { type CgiParams, cgiUrl, splitCgiParams } from './cgi-variables.js'
import { delegateToRequest } from './request-delegation.js'

/**
 * What {@link cgiRequest} needs besides the meta-variables.
 *
 * @example
 * const init: CgiRequestInit = { body: pushed.stream, stripScriptName: false, onAbort: (listener) => void hangup.on(listener) }
 */
export interface CgiRequestInit {
  /** The request body, or null when there is none (ignored for GET and HEAD). */
  body: ReadableStream<Uint8Array> | null
  /** Route on PATH_INFO: remove SCRIPT_NAME from the front of the path. @default false */
  stripScriptName?: boolean
  /** `request.signal` aborts when this does. */
  signal?: AbortSignal
  /** Or, cheaper for an adapter: hear once that the web server gave up; `request.signal` then aborts. */
  onAbort?(listener: (reason: unknown) => void): void
}

/**
 * A `Request` for CGI meta-variables, built only as far as it is read.
 *
 * Why: a Headers object, an undici Request and the AbortController behind
 * `request.signal` cost several microseconds together, a visible share of a
 * FastCGI request, and a handler that reads only `method` and `url` (or
 * ctx.params) needs none of them. `method` and `url` are answered at once,
 * `headers` on first access, and any other member builds the real Request once
 * and delegates to it. It passes `instanceof Request`. The node server does
 * the same for the same reason.
 */
const real = Symbol('real')
const source = Symbol('source')

interface Source {
  method: string
  url: string
  params: CgiParams
  headers: Headers | undefined
  init: CgiRequestInit
}

class LazyCgiRequest {
  [source]: Source;
  [real]: Request | undefined

  constructor(s: Source) {
    this[source] = s
    this[real] = undefined
  }

  get method(): string {
    return this[source].method
  }

  get url(): string {
    return this[source].url
  }

  get headers(): Headers {
    if (this[real]) return this[real].headers
    const s = this[source]
    s.headers ??= splitCgiParams(s.params).headers
    return s.headers
  }
}

function materialize(lazy: LazyCgiRequest): Request {
  if (lazy[real]) return lazy[real]
  const s = lazy[source]
  const controller = new AbortController()
  const { signal, onAbort } = s.init
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason)
    else signal.addEventListener('abort', () => controller.abort(signal.reason), { once: true })
  }
  onAbort?.((reason) => controller.abort(reason))
  const init: RequestInit & { duplex?: 'half' } = { method: s.method, headers: lazy.headers, signal: controller.signal }
  if (s.init.body && s.method !== 'GET' && s.method !== 'HEAD') {
    init.body = s.init.body
    init.duplex = 'half'
  }
  lazy[real] = new Request(s.url, init)
  return lazy[real]
}

delegateToRequest(LazyCgiRequest.prototype, materialize)

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * Build the fetch `Request` a CGI, FastCGI or SCGI request stands for (lazily,
 * see above), and record REMOTE_ADDR as its `ctx.clientAddress`. The method and
 * URL are checked here, so a request that could never become a real `Request`
 * fails at once with a TypeError, which the adapters answer with 400; a path
 * variable holding a control character fails first, with the 400 `HttpError`
 * of {@link checkCgiPath}. {@link cgiRefusal} answers either.
 *
 * @example
 * const request = cgiRequest([['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/hello'], ['HTTP_HOST', 'example.com']], { body: null })
 * request.url // 'http://example.com/hello'
 */
export function cgiRequest(params: CgiParams, init: CgiRequestInit): Request {
  checkCgiPath(params)
  const variables: Record<string, string> = {}
  let host: string | undefined
  for (const [name, value] of params) {
    if (name === 'HTTP_HOST') host = value
    else if (!name.startsWith('HTTP_')) variables[name] = value
  }
  const method = variables.REQUEST_METHOD || 'GET'
  if (!token.test(method)) throw new TypeError(`REQUEST_METHOD is not an HTTP method: ${JSON.stringify(method)}`)
  // cgiUrl refuses a Host that is not host[:port] (isValidHost). Parsed once so that
  // `url` reads exactly as the real Request's would (normalized, percent-encoded).
  const url = new URL(cgiUrl(variables, host, init.stripScriptName ?? false)).href
  const request = new LazyCgiRequest({ method, url, params, headers: undefined, init }) as unknown as Request
  setClientAddress(request, variables.REMOTE_ADDR)
  return request
}

