/**
 * A `Headers` kept in a plain `Map`, for the headers of a light response.
 *
 * Why this exists: middleware that decorates every response (security
 * headers, CORS, the request id) reads and sets a few headers on it. With an
 * undici `Headers`, the first access converted the light response's header
 * record (webidl conversions, a brand check per call) and writing it out
 * sorted it (`toSortedArray`): about 10 µs of a request that costs 30. This
 * class behaves as a `Headers` for its users (it is an `instanceof Headers`,
 * names are case-insensitive, values are normalized and checked the same way,
 * `Set-Cookie` lines stay separate and `getSetCookie()` returns them,
 * iteration is in sorted order with each cookie on its own), while a server
 * adapter writes it out in insertion order without sorting
 * ({@link flatHeaders}).
 */

/** RFC 9110 token characters: what a header name may be made of. */
const tokenName = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
/** A value that needs work: surrounding whitespace to trim, or a character no header value may hold. */
const unusualValue = /^[\t\n\r ]|[\t\n\r ]$|[\0\r\n]|[^\0-\xff]/
const surroundingWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g

/**
 * Names already checked, to their lower case: the same few names (those the
 * middleware sets, those clients send) come on every request, and a Map lookup
 * costs less than the check and the lower-casing. Bounded, since request
 * header names are the client's choice: past the bound, names are checked
 * every time.
 */
const checkedNames = new Map<string, string>()
const checkedNamesBound = 1024

function headerName(name: unknown, method: string): string {
  const known = typeof name === 'string' ? checkedNames.get(name) : undefined
  if (known !== undefined) return known
  const text = String(name)
  if (!tokenName.test(text)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header name.`)
  const lower = text.toLowerCase()
  if (checkedNames.size < checkedNamesBound) checkedNames.set(text, lower)
  return lower
}

/** The Fetch standard's normalization: surrounding HTTP whitespace removed, NUL, CR, LF and non-Latin-1 refused. */
function headerValue(value: unknown, method: string): string {
  const text = String(value)
  if (!unusualValue.test(text)) return text
  const trimmed = text.replace(surroundingWhitespace, '')
  if (/[\0\r\n]|[^\0-\xff]/.test(trimmed)) throw new TypeError(`Headers.${method}: "${text}" is an invalid header value.`)
  return trimmed
}

export class LightHeaders implements Headers {
  /** Lower-case name to value (several values of one name joined by `, `), in insertion order; never `set-cookie`. */
  readonly #fields = new Map<string, string>()
  /** Each Set-Cookie on its own, as it must be sent. */
  #cookies: string[] = []

  /**
   * @param init a record (as the `ctx` helpers build) or anything `new Headers(init)` takes
   */
  constructor(init?: HeadersInit) {
    if (init === undefined || init === null) return
    if (typeof init !== 'object') throw new TypeError('Headers constructor: expected a record, a sequence of pairs or a Headers object.')
    if (init instanceof Headers || Symbol.iterator in init) {
      for (const pair of init as Iterable<[string, string]>) {
        if (pair.length !== 2) throw new TypeError('Headers constructor: expected name/value pair to be length 2.')
        this.append(pair[0], pair[1])
      }
      return
    }
    const record = init as Record<string, string>
    for (const name in record) if (Object.hasOwn(record, name)) this.append(name, record[name]!)
  }

  append(name: string, value: string): void {
    const key = headerName(name, 'append')
    const text = headerValue(value, 'append')
    if (key === 'set-cookie') {
      this.#cookies.push(text)
      return
    }
    const current = this.#fields.get(key)
    this.#fields.set(key, current === undefined ? text : `${current}, ${text}`)
  }

  set(name: string, value: string): void {
    const key = headerName(name, 'set')
    const text = headerValue(value, 'set')
    if (key === 'set-cookie') this.#cookies = [text]
    else this.#fields.set(key, text)
  }

  get(name: string): string | null {
    const key = headerName(name, 'get')
    if (key === 'set-cookie') return this.#cookies.length === 0 ? null : this.#cookies.join(', ')
    return this.#fields.get(key) ?? null
  }

  has(name: string): boolean {
    const key = headerName(name, 'has')
    return key === 'set-cookie' ? this.#cookies.length > 0 : this.#fields.has(key)
  }

  delete(name: string): void {
    const key = headerName(name, 'delete')
    if (key === 'set-cookie') this.#cookies = []
    else this.#fields.delete(key)
  }

  getSetCookie(): string[] {
    return [...this.#cookies]
  }

  forEach(callback: (value: string, name: string, parent: Headers) => void, thisArg?: unknown): void {
    if (typeof callback !== 'function') throw new TypeError("Headers.forEach: argument 1 is not a function.")
    for (const [name, value] of this.#sorted()) callback.call(thisArg, value, name, this)
  }

  entries(): HeadersIterator<[string, string]> {
    return this.#sorted()[Symbol.iterator]() as HeadersIterator<[string, string]>
  }

  keys(): HeadersIterator<string> {
    return this.#sorted().map(([name]) => name)[Symbol.iterator]() as HeadersIterator<string>
  }

  values(): HeadersIterator<string> {
    return this.#sorted().map(([, value]) => value)[Symbol.iterator]() as HeadersIterator<string>
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries()
  }

  /** For server adapters: every header line in insertion order, as `[name, value, name, value, …]`, each cookie on its own. */
  flat(): string[] {
    const flat: string[] = []
    for (const [name, value] of this.#fields) flat.push(name, value)
    for (const cookie of this.#cookies) flat.push('set-cookie', cookie)
    return flat
  }

  /** What iterating a `Headers` gives: sorted by name, each Set-Cookie as its own pair. */
  #sorted(): Array<[string, string]> {
    const pairs: Array<[string, string]> = [...this.#fields]
    for (const cookie of this.#cookies) pairs.push(['set-cookie', cookie])
    // Stable: the cookies keep their order among themselves.
    return pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  }

  get [Symbol.toStringTag](): string {
    return 'Headers'
  }

  /** What `console.log` shows: the fields, as for an undici `Headers` (whose own inspector would refuse this object). */
  [Symbol.for('nodejs.util.inspect.custom')](): unknown {
    const shown: Record<string, string | string[]> = Object.fromEntries(this.#fields)
    if (this.#cookies.length > 0) shown['set-cookie'] = [...this.#cookies]
    return shown
  }
}
// So that `instanceof Headers` holds; every member is defined here, so none of undici's (which check their own brand) runs.
Object.setPrototypeOf(LightHeaders.prototype, Headers.prototype)

/**
 * For server adapters: a response's header lines as node's flat
 * `[name, value, name, value, …]` list, every Set-Cookie on its own line.
 * A light response's headers are read without sorting or copying through
 * undici; any other `Headers` the standard way.
 *
 * @example
 * const parts = lightResponseParts(response)
 * if (parts) res.writeHead(parts.status, flatHeaders(parts.headers))
 */
export function flatHeaders(headers: Headers | Record<string, string>): string[] {
  if (headers instanceof LightHeaders) return headers.flat()
  const flat: string[] = []
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      if (name !== 'set-cookie') flat.push(name, value)
    })
    for (const cookie of headers.getSetCookie()) flat.push('set-cookie', cookie)
  } else {
    for (const name in headers) flat.push(name, headers[name]!)
  }
  return flat
}
