import { PathInvalid } from '../errors/codes.js'

/**
 * The path of an absolute URL string, without query or fragment, exactly as
 * it is written there (not normalised: see {@link normalizePath} for the form
 * `ctx.path` and the router see). Cheaper than `new URL()` on the hot path.
 *
 * @example pathOf('http://x/a/b?c=1') // '/a/b'
 */
export function pathOf(url: string): string {
  const [start, end] = pathBounds(url)
  return start === end ? '/' : url.slice(start, end)
}

/** The raw query string of an absolute URL (without `?`), or '' when there is none. */
export function queryOf(url: string): string {
  const q = url.indexOf('?')
  if (q < 0) return ''
  const hash = url.indexOf('#', q)
  return hash < 0 ? url.slice(q + 1) : url.slice(q + 1, hash)
}

/**
 * The same absolute URL string with another path; query and fragment are kept.
 *
 * @example withPath('http://x/a%7e?q=1', '/a~') // 'http://x/a~?q=1'
 */
export function withPath(url: string, path: string): string {
  const [start, end] = pathBounds(url)
  return url.slice(0, start) + path + url.slice(end)
}

/** Where the path of an absolute URL string starts and ends (equal when it has none). */
function pathBounds(url: string): [number, number] {
  const scheme = url.indexOf('://')
  const start = url.indexOf('/', scheme < 0 ? 0 : scheme + 3)
  if (start < 0) return [url.length, url.length]
  for (let i = start; i < url.length; i++) {
    const ch = url.charCodeAt(i)
    if (ch === 63 /* ? */ || ch === 35 /* # */) return [start, i]
  }
  return [start, url.length]
}

/**
 * How a router compares paths. The core folds these into the one
 * normalisation every request path gets, so that what a middleware sees in
 * `ctx.path` is exactly what the router matches. A router states its rules
 * as `Router.pathRules`.
 *
 * @example
 * const rules: PathRules = { ignoreTrailingSlash: true } // '/a/' is seen as '/a' by everyone
 */
export interface PathRules {
  /** `false` folds the whole path to lower case (parameters too). @default true */
  readonly caseSensitive?: boolean | undefined
  /** Collapse runs of `/` into one (`//a///b` is `/a/b`). @default false */
  readonly ignoreDuplicateSlashes?: boolean | undefined
  /** Drop trailing slashes (`/a/` is `/a`; `/` stays `/`). @default false */
  readonly ignoreTrailingSlash?: boolean | undefined
}

// What a raw ASCII character of a path becomes. KEEP: RFC 3986 pchar and `/`
// (unreserved, sub-delims, `:` and `@`). ENCODE: characters a URI cannot
// carry raw but a URL parser lets through or encodes (`|`, `^`, `[`, space, …).
// REFUSE: control characters, and `\`, which WHATWG URL parsers read as `/`.
const KEEP = 0
const ENCODE = 1
const REFUSE = 2
const PERCENT = 3
const asciiKind = new Uint8Array(128).fill(ENCODE)
for (let c = 0; c < 0x20; c++) asciiKind[c] = REFUSE
asciiKind[0x7f] = REFUSE
asciiKind[0x5c] = REFUSE
asciiKind[0x25] = PERCENT
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/") asciiKind[ch.charCodeAt(0)] = KEEP

/** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
const isUnreserved = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e

const HEX = '0123456789ABCDEF'
const escape = (c: number): string => `%${HEX[c >> 4]}${HEX[c & 15]}`

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/** The byte a `%XX` at `at` stands for, or -1 when it is not one. */
function escapedByte(path: string, at: number): number {
  if (path.charCodeAt(at) !== 0x25) return -1
  const high = hexValue(path.charCodeAt(at + 1))
  const low = hexValue(path.charCodeAt(at + 2))
  return high < 0 || low < 0 ? -1 : (high << 4) | low
}

/**
 * The one normal form of a request path. The core computes it once per
 * request, before any middleware: it is `ctx.path`, the path of
 * `ctx.request.url`, what the router matches, and (minus the prefix) what a
 * mounted app receives. So a guard's `ctx.path.startsWith('/admin')` and the
 * router never disagree.
 *
 * The rule (RFC 3986 §6.2.2 syntax-based normalisation, strict):
 * - a percent-escape of an unreserved character is decoded (`%61` is `a`,
 *   `%7E` is `~`, `%2E` is `.`); every other escape is kept, in upper case
 *   (`%2f` is `%2F`: an encoded slash never becomes a separator);
 * - a character a URI cannot carry raw is encoded as UTF-8 (`|` is `%7C`,
 *   `é` is `%C3%A9`);
 * - refused with a 400 `HttpError` (`DOVETAIL_ERR_PATH_INVALID`): a path not
 *   starting with `/`, a malformed escape (`%zz`, `%4`), a control character
 *   or NUL (raw or encoded, `%00`–`%1F`, `%7F`), a raw `\`, escapes that are
 *   not UTF-8, and any dot segment (`.` or `..`, also as `%2e%2e`): clients
 *   resolve those before sending, so one that arrives is an attack;
 * - then the router's rules: `caseSensitive: false` folds the path to lower
 *   case, `ignoreDuplicateSlashes` collapses `//`, `ignoreTrailingSlash`
 *   drops trailing slashes.
 *
 * Idempotent: a normalised path normalises to itself. It is also a fixed point
 * of WHATWG URL parsing, so `new URL(ctx.request.url).pathname === ctx.path`.
 *
 * @throws {HttpError} 400 `DOVETAIL_ERR_PATH_INVALID`, naming the reason.
 * @example
 * normalizePath('/%61dmin/%7euser/a%2fb')                  // '/admin/~user/a%2Fb'
 * normalizePath('/ADMIN//x/', { caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true }) // '/admin/x'
 * normalizePath('/public/%2e%2e/admin')                     // throws 400
 */
export function normalizePath(path: string, rules: PathRules = {}): string {
  if (path.charCodeAt(0) !== 0x2f) throw PathInvalid('The request path must start with /.')
  const fold = rules.caseSensitive === false
  let out = plainForm(path, fold) ?? rewrite(path, fold)
  refuseDotSegments(out)
  if (rules.ignoreDuplicateSlashes && out.includes('//')) out = out.replace(/\/{2,}/g, '/')
  if (rules.ignoreTrailingSlash) {
    let end = out.length
    while (end > 1 && out.charCodeAt(end - 1) === 0x2f) end--
    if (end < out.length) out = out.slice(0, end)
  }
  return out
}

/** The path itself when it is already in normal form (the common case: one scan, no allocation), else undefined. */
function plainForm(path: string, fold: boolean): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c >= 0x80 || asciiKind[c] !== KEEP || (fold && c >= 0x41 && c <= 0x5a)) return undefined
  }
  return path
}

function rewrite(path: string, fold: boolean): string {
  let out = ''
  let i = 0
  while (i < path.length) {
    const c = path.charCodeAt(i)
    if (c >= 0x80) {
      // A run of raw non-ASCII characters: encoded as UTF-8, as a URL parser does.
      let j = i + 1
      while (j < path.length && path.charCodeAt(j) >= 0x80) j++
      out += encodeText(path.slice(i, j), fold)
      i = j
      continue
    }
    switch (asciiKind[c]) {
      case KEEP:
        out += fold && c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 0x20) : path[i]
        i++
        break
      case ENCODE:
        out += escape(c)
        i++
        break
      case REFUSE:
        throw PathInvalid(c === 0x5c ? 'The request path has a raw backslash.' : 'The request path has a control character.')
      default: {
        const byte = escapedByte(path, i)
        if (byte < 0) throw PathInvalid('The request path has a malformed percent-escape (% not followed by two hex digits).')
        if (byte >= 0x80) {
          // A run of escaped bytes of non-ASCII characters: must be UTF-8.
          let j = i + 3
          while (escapedByte(path, j) >= 0x80) j += 3
          let text: string
          try {
            text = decodeURIComponent(path.slice(i, j))
          } catch {
            throw PathInvalid('The request path has percent-escapes that are not UTF-8.')
          }
          out += encodeText(text, fold)
          i = j
        } else if (isUnreserved(byte)) {
          out += String.fromCharCode(fold && byte >= 0x41 && byte <= 0x5a ? byte + 0x20 : byte)
          i += 3
        } else if (byte < 0x20 || byte === 0x7f) {
          throw PathInvalid('The request path has an encoded control character or NUL.')
        } else {
          out += escape(byte)
          i += 3
        }
      }
    }
  }
  return out
}

/**
 * Non-ASCII text as UTF-8 escapes. Folded first when the router folds case,
 * because a router that lower-cases decoded text would otherwise match what
 * the guard cannot see: the Kelvin sign `%E2%84%AA` lower-cases to an ASCII `k`.
 */
function encodeText(text: string, fold: boolean): string {
  try {
    // encodeURIComponent keeps only unreserved ASCII and !'()*, so what folding turned into ASCII stays in normal form.
    return encodeURIComponent(fold ? text.toLowerCase() : text)
  } catch {
    throw PathInvalid('The request path has a character that is not valid Unicode (a lone surrogate).')
  }
}

function refuseDotSegments(path: string): void {
  let at = path.indexOf('/.')
  while (at >= 0) {
    const next = path.charCodeAt(at + 2)
    if (Number.isNaN(next) || next === 0x2f || (next === 0x2e && (at + 3 === path.length || path.charCodeAt(at + 3) === 0x2f))) {
      throw PathInvalid('The request path has a dot segment (. or .., maybe percent-encoded); clients resolve them before sending.')
    }
    at = path.indexOf('/.', at + 2)
  }
}
