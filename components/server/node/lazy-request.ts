import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { bodyStream, collectBody, usedBodyStream } from './body-stream.js'
import { bodyBytesKey, clientAddressKey, LightHeaders, requestAbortKey } from '../../../core/index.js'
import { delegateToRequest } from '../../../core/server-kit/index.js'

/**
 * A `Request` built only as far as it is read.
 *
 * Why: constructing an undici `Request` (URL parsing, a Headers object, a body
 * stream) for every incoming message costs microseconds that a handler which
 * reads only `method` and `url` never needed. `method` and `url` are answered
 * from the node message directly, `headers` is built on first access, `body`
 * (what a body parser reads) is the node message as a web stream, made on
 * first access, and any other member builds the real `Request` once (around
 * that same stream) and delegates to it. A body parser that asks through
 * `readBodyBytes` gets the body collected from the node message, with no web
 * stream at all. It passes `instanceof Request`.
 */
const real = Symbol('real')
const source = Symbol('source')

interface Source {
  req: IncomingMessage
  res: ServerResponse
  url: string
  headers: Headers | undefined
  body: ReadableStream<Uint8Array> | undefined
  /** The body was collected through `readBodyBytes`: `body` is then a used stream. */
  collected: boolean
  abort: AbortController | undefined
}

const hasBody = (method: string | undefined): boolean => method !== 'GET' && method !== 'HEAD' && method !== undefined

class LazyRequest {
  [source]: Source;
  [real]: Request | undefined;
  [clientAddressKey]: string | undefined

  constructor(req: IncomingMessage, res: ServerResponse, url: string) {
    this[source] = { req, res, url, headers: undefined, body: undefined, collected: false, abort: undefined }
    this[real] = undefined
    // Set here, not added later, so every lazy request keeps one hidden class.
    this[clientAddressKey] = req.socket.remoteAddress
  }

  get method(): string {
    return this[source].req.method ?? 'GET'
  }

  get url(): string {
    return this[source].url
  }

  get headers(): Headers {
    const s = this[source]
    if (this[real]) return this[real].headers
    if (!s.headers) {
      // A LightHeaders (an instanceof Headers over a plain list), cheaper to fill and read than undici's.
      const headers = (s.headers = new LightHeaders())
      const raw = s.req.rawHeaders
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!)
    }
    return s.headers
  }

  /** Aborts when the client closes the connection before the response is written; no Request needed for it. */
  get signal(): AbortSignal {
    return clientSignal(this[source])
  }

  /** The controller behind `signal`, which the app aborts when its time limit passes (see `requestAbortKey`): `ctx.signal` is then this one signal. */
  [requestAbortKey](): AbortController {
    clientSignal(this[source])
    return this[source].abort!
  }

  // Once the real Request exists it answers: after clone() its body is a tee branch, not our stream.
  get body(): ReadableStream<Uint8Array> | null {
    if (this[real]) return this[real].body
    const s = this[source]
    if (!hasBody(s.req.method)) return null
    return streamOf(s)
  }

  get bodyUsed(): boolean {
    if (this[real]) return this[real].bodyUsed
    const s = this[source]
    return s.collected || (s.body !== undefined && Readable.isDisturbed(s.body as never))
  }

  /**
   * The whole body straight from the node message (what `readBodyBytes` calls),
   * while nothing else has it: not once the real Request or the web stream exists.
   */
  [bodyBytesKey](limit: number): Promise<Uint8Array | undefined> | undefined {
    const s = this[source]
    if (this[real] || s.body !== undefined || s.collected || !hasBody(s.req.method)) return undefined
    const pending = collectBody(s.req, s.res, limit)
    if (pending !== undefined) s.collected = true
    return pending
  }
}

/** The body as a web stream, made once: a used one when it was collected already. */
const streamOf = (s: Source): ReadableStream<Uint8Array> => (s.body ??= s.collected ? usedBodyStream() : bodyStream(s.req, s.res))

function clientSignal(s: Source): AbortSignal {
  if (!s.abort) {
    const controller = (s.abort = new AbortController())
    const { res } = s
    res.once('close', () => {
      if (!res.writableFinished) controller.abort(new Error('The client closed the connection'))
    })
  }
  return s.abort.signal
}

function materialize(lazy: LazyRequest): Request {
  if (lazy[real]) return lazy[real]
  const { req, url } = lazy[source]
  const method = req.method ?? 'GET'
  // The real Request's signal follows the one `signal` hands out (made now if it was not asked for yet).
  const init: RequestInit & { duplex?: 'half' } = { method, headers: lazy.headers, signal: clientSignal(lazy[source]) }
  let usedUp = false
  if (hasBody(req.method)) {
    // The stream `body` may already have handed out: the real Request wraps that one, not a second.
    const body = streamOf(lazy[source])
    // A Request cannot be made around a stream already read; it gets one it then cancels, so its
    // reading methods refuse as they would have (TypeError, body unusable).
    usedUp = body.locked || Readable.isDisturbed(body as never)
    init.body = usedUp ? new ReadableStream() : body
    init.duplex = 'half'
  }
  const made = new Request(url, init)
  if (usedUp) void made.body?.cancel()
  lazy[real] = made
  return made
}

delegateToRequest(LazyRequest.prototype, materialize)

export function lazyRequest(req: IncomingMessage, res: ServerResponse, url: string): Request {
  return new LazyRequest(req, res, url) as unknown as Request
}
