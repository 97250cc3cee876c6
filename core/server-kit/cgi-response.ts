import { STATUS_CODES } from 'node:http'
import { HttpError } from '../errors/http-error.js'
import { lightResponseParts } from '../gateway/light-response.js'

/**
 * A response as a CGI program writes it: a header block, then the body, which
 * is either in memory or a stream (never both).
 *
 * @example
 * const { head, body, stream } = cgiResponseParts(response, request.method)
 * await write(body ? Buffer.concat([head, body]) : head)
 */
export interface CgiResponseParts {
  /** `Status:`, the header lines and the blank line, as bytes. */
  head: Buffer
  /** A body already in memory (the light responses of `ctx.text/json/html`), else null. */
  body: Uint8Array | null
  /** A body to stream, else null. */
  stream: ReadableStream<Uint8Array> | null
}

/**
 * Split a fetch `Response` into a CGI header block and its body (RFC 3875 §6).
 * The block always starts with `Status:`, so no web server mistakes a
 * `Location` for a local redirect; every `Set-Cookie` gets its own line; a body
 * in memory gets its `Content-Length`. A HEAD request gets no body, as node's
 * http server would do, and an unread body stream is cancelled.
 *
 * @example
 * const { head, body, stream } = cgiResponseParts(await app.fetch(request), request.method)
 */
export function cgiResponseParts(response: Response, method: string): CgiResponseParts {
  const light = lightResponseParts(response)
  if (light) {
    const body = light.body === null ? null : typeof light.body === 'string' ? Buffer.from(light.body) : light.body
    let head = statusLine(light.status, '')
    if (light.headers instanceof Headers) head += headerLines(light.headers)
    else for (const name in light.headers) if (name.toLowerCase() !== 'status') head += `${name}: ${light.headers[name]}\r\n`
    const hasLength = light.headers instanceof Headers ? light.headers.has('content-length') : hasKey(light.headers, 'content-length')
    if (body !== null && !hasLength) head += `content-length: ${body.byteLength}\r\n`
    return { head: Buffer.from(`${head}\r\n`, 'latin1'), body: method === 'HEAD' ? null : body, stream: null }
  }
  const head = Buffer.from(`${statusLine(response.status, response.statusText)}${headerLines(response.headers)}\r\n`, 'latin1')
  if (method === 'HEAD' && response.body) {
    void response.body.cancel().catch(() => {})
    return { head, body: null, stream: null }
  }
  return { head, body: null, stream: response.body }
}

/**
 * The answer an adapter gives without calling the app (a limit, a malformed
 * request): `Status:` with the bare code, then `message` as plain text. Given
 * an `HttpError` (one made by a `createError` factory), its status, and its
 * message followed by its code.
 *
 * @example
 * write(plainCgiResponse(413, 'The request body is larger than 1024 bytes (server/scgi option maxBodySize).'))
 * write(plainCgiResponse(ScgiVersion('There is no SCGI=1 variable.')))
 * // Status: 400 … There is no SCGI=1 variable. (DOVETAIL_ERR_SERVER_SCGI_VERSION)
 */
export function plainCgiResponse(error: HttpError): Buffer
export function plainCgiResponse(status: number, message: string): Buffer
export function plainCgiResponse(statusOrError: number | HttpError, message = ''): Buffer {
  const status = typeof statusOrError === 'number' ? statusOrError : statusOrError.status
  const text = Buffer.from(typeof statusOrError === 'number' ? message : `${statusOrError.message} (${statusOrError.code})`)
  const head = `Status: ${status}\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${text.length}\r\n\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), text])
}

/**
 * The answer to a request refused before the app ran because of what
 * {@link cgiRequest} (or `checkCgiPath`, `cgiContentLength`) threw: an
 * `HttpError` as itself (status, message, code), anything else, such as the
 * TypeError naming a malformed variable, as 400.
 *
 * @example
 * try { request = cgiRequest(params, { body: null }) } catch (error) { return write(cgiRefusal(error)) }
 */
export function cgiRefusal(error: unknown): Buffer {
  if (error instanceof HttpError) return plainCgiResponse(error)
  return plainCgiResponse(400, `The web server sent variables that make no valid request: ${(error as Error).message}`)
}

const statusLine = (status: number, text: string): string => `Status: ${status} ${text || STATUS_CODES[status] || 'Unknown'}\r\n`

function headerLines(headers: Headers): string {
  let lines = ''
  headers.forEach((value, name) => {
    // A header named Status would compete with the status line above.
    if (name !== 'set-cookie' && name !== 'status') lines += `${name}: ${value}\r\n`
  })
  for (const cookie of headers.getSetCookie()) lines += `set-cookie: ${cookie}\r\n`
  return lines
}

function hasKey(record: Record<string, string>, lowerName: string): boolean {
  for (const name in record) if (name.toLowerCase() === lowerName) return true
  return false
}
