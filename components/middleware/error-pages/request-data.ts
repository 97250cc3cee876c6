/** Headers whose values are credentials: never shown, even on the development page. */
const secretHeaders = /^(cookie|set-cookie|authorization|proxy-authorization)$|token|secret|password|passwd|api-?key|session|csrf|xsrf/i

/**
 * A request's headers as name/value pairs for display, with credentials
 * replaced. A cookie header keeps its cookie names (whether a cookie was sent
 * is often the clue) and loses every value.
 *
 * @example
 * displayHeaders(new Headers({ cookie: 'sid=abc; theme=dark' }), [])
 * // [['cookie', 'sid=[redacted]; theme=[redacted]']]
 */
export function displayHeaders(headers: Headers, extra: readonly string[]): Array<[string, string]> {
  const more = new Set(extra.map((h) => h.toLowerCase()))
  const shown: Array<[string, string]> = []
  for (const [name, value] of headers) {
    if (name === 'cookie') shown.push([name, redactCookies(value)])
    else if (secretHeaders.test(name) || more.has(name)) shown.push([name, '[redacted]'])
    else shown.push([name, value])
  }
  return shown
}

const redactCookies = (header: string): string =>
  header
    .split(';')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0]}=[redacted]`)
    .join('; ')

const acceptableId = /^[A-Za-z0-9._:@/+=-]{1,128}$/

/**
 * The request id to show: the one the request-log middleware put in
 * `ctx.state.requestId`, else a well-formed `x-request-id` request header.
 *
 * @example
 * requestIdOf(ctx.state, ctx.request) // '3f2c…' from request-log, else the header's, else undefined
 */
export function requestIdOf(state: Record<string, unknown> | undefined, request: Request): string | undefined {
  const fromState = state?.requestId
  if (typeof fromState === 'string' && fromState) return fromState
  const header = request.headers.get('x-request-id')
  return header !== null && acceptableId.test(header) ? header : undefined
}
