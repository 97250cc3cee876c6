/**
 * A `Response` that defers building the real one.
 *
 * Why this exists: constructing an undici `Response` and reading its body back
 * as a stream costs several microseconds, a visible share of a 28 µs request on
 * node:http. The helpers `ctx.text/json/html` return a LightResponse: it is an
 * `instanceof Response` and behaves as one (reading any body property builds
 * the real Response once), but a server adapter that knows the trick can write
 * status, headers and body straight out with {@link lightResponseParts} and
 * never build the real one. Adapters that don't know it lose nothing.
 */
import { LightHeaders } from './light-headers.js'

const state = Symbol('dovetail.lightResponse')

type LightBody = string | Uint8Array | null

interface LightState {
  status: number
  body: LightBody
  headers: Record<string, string> | Headers
  real: Response | undefined
}

export class LightResponse {
  [state]: LightState

  constructor(body: LightBody, status = 200, headers: Record<string, string> | Headers = {}) {
    this[state] = { status, body, headers, real: undefined }
  }

  #real(): Response {
    const s = this[state]
    s.real ??= new Response(s.body as BodyInit | null, { status: s.status, headers: s.headers })
    return s.real
  }

  get status(): number {
    return this[state].status
  }
  get statusText(): string {
    return this.#real().statusText
  }
  get ok(): boolean {
    const status = this[state].status
    return status >= 200 && status < 300
  }
  get headers(): Headers {
    const s = this[state]
    if (s.real) return s.real.headers
    // A Headers over a Map, not undici's: middleware that sets a header on every response keeps the light path
    // (see LightHeaders). Headers the response was given (a real one) stay as they are.
    if (!(s.headers instanceof Headers)) s.headers = new LightHeaders(s.headers)
    return s.headers
  }
  get redirected(): boolean {
    return false
  }
  get type(): ResponseType {
    return 'default'
  }
  get url(): string {
    return ''
  }
  get body(): ReadableStream<Uint8Array> | null {
    return this.#real().body
  }
  get bodyUsed(): boolean {
    return this[state].real?.bodyUsed ?? false
  }
  text(): Promise<string> {
    return this.#real().text()
  }
  json(): Promise<unknown> {
    return this.#real().json()
  }
  arrayBuffer(): Promise<ArrayBuffer> {
    return this.#real().arrayBuffer()
  }
  blob(): Promise<Blob> {
    return this.#real().blob()
  }
  formData(): Promise<FormData> {
    return this.#real().formData()
  }
  clone(): Response {
    return this.#real().clone()
  }
}
Object.setPrototypeOf(LightResponse.prototype, Response.prototype)

/** Build a response whose body is already in memory, cheaply. */
export function lightResponse(body: LightBody, status: number, headers: Record<string, string> | Headers): Response {
  return new LightResponse(body, status, headers) as unknown as Response
}

/**
 * For server adapters: the parts of a response that can be written without
 * touching streams, or `undefined` for an ordinary `Response` (or a light one
 * whose body was already read), which must be written the standard way.
 */
export function lightResponseParts(
  response: Response,
): { status: number; headers: Record<string, string> | Headers; body: LightBody } | undefined {
  const s = (response as unknown as Partial<LightResponse>)[state]
  if (s === undefined || s.real !== undefined) return undefined
  return s
}
