import { isValidHost } from './host.js'

/**
 * CGI meta-variables as name/value pairs, in the order the web server sent
 * them. A list rather than a record because nginx before 1.23 sends a request
 * header that occurs twice as two `HTTP_*` parameters.
 *
 * @example
 * const params: CgiParams = [['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/'], ['HTTP_HOST', 'example.com']]
 */
export type CgiParams = ReadonlyArray<readonly [name: string, value: string]>

/**
 * The meta-variables that are not request headers, by name.
 *
 * @example
 * const { variables } = splitCgiParams(params)
 * variables.REMOTE_ADDR // '203.0.113.7'
 */
export interface CgiVariables {
  readonly [name: string]: string | undefined
}

/**
 * Split CGI meta-variables into request headers and the other variables.
 * `HTTP_ACCEPT_LANGUAGE` becomes the header `accept-language`; `CONTENT_TYPE`
 * and `CONTENT_LENGTH` become headers too (RFC 3875 keeps them apart).
 *
 * @example
 * const { headers, variables } = splitCgiParams([['HTTP_ACCEPT_LANGUAGE', 'fr'], ['SERVER_NAME', 'example.com']])
 * headers.get('accept-language') // 'fr'
 * variables.SERVER_NAME          // 'example.com'
 */
export function splitCgiParams(params: CgiParams): { headers: Headers; variables: CgiVariables } {
  const headers = new Headers()
  const variables: Record<string, string> = {}
  for (const [name, value] of params) {
    if (name.startsWith('HTTP_')) {
      // CONTENT_TYPE and CONTENT_LENGTH below are the authoritative ones (RFC 3875 §4.1.18).
      if (name !== 'HTTP_CONTENT_TYPE' && name !== 'HTTP_CONTENT_LENGTH') appendHeader(headers, name.slice(5).toLowerCase().replaceAll('_', '-'), value)
    } else if (name === 'CONTENT_TYPE') {
      if (value !== '') appendHeader(headers, 'content-type', value)
    } else if (name === 'CONTENT_LENGTH') {
      if (value !== '') appendHeader(headers, 'content-length', value)
    } else variables[name] = value
  }
  return { headers, variables }
}

function appendHeader(headers: Headers, name: string, value: string): void {
  try {
    // Host is single-valued: a config that redefines HTTP_HOST after `include fastcgi_params` means to replace it.
    if (name === 'host') headers.set('host', value)
    // Two Cookie headers mean one cookie list; Headers would join them with ", ".
    else if (name === 'cookie' && headers.has('cookie')) headers.set('cookie', `${headers.get('cookie')}; ${value}`)
    else headers.append(name, value)
  } catch {
    // A name no HTTP client can send (HTTP_ plus characters outside a token) came
    // from the environment, not from the client: it is not a request header.
  }
}

/**
 * The absolute URL of a CGI request, rebuilt as PEP 3333 does for WSGI:
 * scheme from HTTPS / REQUEST_SCHEME, host from the Host header or else
 * SERVER_NAME and SERVER_PORT, path from REQUEST_URI (the target exactly as the
 * client sent it) or else SCRIPT_NAME + PATH_INFO + QUERY_STRING.
 *
 * The host must pass {@link isValidHost}: characters such as `/`, `?`, `#` or
 * `@` in a Host header would move the URL's path and query away from what the
 * web server routed. Throws a TypeError otherwise, which the adapters answer
 * with 400.
 *
 * @example
 * cgiUrl({ REQUEST_URI: '/a?b=1', SERVER_NAME: 'example.com', SERVER_PORT: '80' }, undefined)
 * // 'http://example.com/a?b=1'
 */
export function cgiUrl(variables: CgiVariables, hostHeader: string | null | undefined, stripScriptName = false): string {
  const https = /^(on|1)$/i.test(variables.HTTPS ?? '') || variables.REQUEST_SCHEME === 'https'
  const scheme = https ? 'https' : 'http'
  let host = hostHeader
  if (!host) {
    const name = variables.SERVER_NAME || variables.SERVER_ADDR || 'localhost'
    const port = variables.SERVER_PORT
    host = port && port !== (https ? '443' : '80') ? `${name.includes(':') ? `[${name}]` : name}:${port}` : name
    if (!isValidHost(host)) throw new TypeError(`SERVER_NAME and SERVER_PORT do not make a host[:port]: ${JSON.stringify(host)}`)
  } else if (!isValidHost(host)) {
    throw new TypeError(`The Host header is not a host[:port]: ${JSON.stringify(host)}`)
  }
  return `${scheme}://${host}${cgiPath(variables, stripScriptName)}`
}

function cgiPath(variables: CgiVariables, stripScriptName: boolean): string {
  const script = variables.SCRIPT_NAME ?? ''
  const target = variables.REQUEST_URI
  if (target?.startsWith('/')) {
    if (!stripScriptName || script === '') return target
    for (const prefix of [script, encodePath(script)]) {
      const next = target.charAt(prefix.length)
      if (target.startsWith(prefix) && (next === '' || next === '/' || next === '?')) {
        const rest = target.slice(prefix.length)
        return rest.startsWith('/') ? rest : `/${rest}`
      }
    }
    // The client's target does not name the script (a rewrite sent it there): nothing to strip.
    return target
  }
  // No usable REQUEST_URI (the CGI spec does not require it): rebuild the target
  // from the decoded parts, encoding them again.
  const path = `${stripScriptName ? '' : script}${variables.PATH_INFO ?? ''}`
  const query = variables.QUERY_STRING ? `?${variables.QUERY_STRING}` : ''
  return `${encodePath(path.startsWith('/') ? path : `/${path}`)}${query}`
}

const encodePath = (path: string): string => encodeURI(path).replaceAll('?', '%3F').replaceAll('#', '%23')

/**
 * The declared body length, or undefined when CONTENT_LENGTH is absent or
 * empty. Throws a TypeError on a malformed one, or on two CONTENT_LENGTH
 * variables that disagree, which adapters answer with 400.
 *
 * @example
 * cgiContentLength([['CONTENT_LENGTH', '42']]) // 42
 * cgiContentLength([['CONTENT_LENGTH', '']])   // undefined
 */
export function cgiContentLength(params: CgiParams): number | undefined {
  let value: string | undefined
  for (const [name, v] of params) {
    if (name !== 'CONTENT_LENGTH') continue
    // Which one frames the body would be a guess, and a guess that differs from the web server's smuggles bytes.
    if (value !== undefined && value !== v) throw new TypeError(`two CONTENT_LENGTH variables disagree: ${JSON.stringify(value)} and ${JSON.stringify(v)}`)
    value = v
  }
  if (value === undefined || value === '') return undefined
  if (!/^\d{1,15}$/.test(value)) throw new TypeError(`CONTENT_LENGTH is not a byte count: ${JSON.stringify(value)}`)
  return Number(value)
}

/**
 * The value of one meta-variable (the last one of that name), or undefined.
 *
 * @example
 * cgiParam(params, 'REQUEST_METHOD') // 'POST'
 */
export function cgiParam(params: CgiParams, name: string): string | undefined {
  let value: string | undefined
  for (const [n, v] of params) if (n === name) value = v
  return value
}

const utf8Variables = new Set(['REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING', 'PATH_TRANSLATED', 'DOCUMENT_URI'])

/**
 * How to turn a meta-variable's bytes into a string, for the FastCGI and SCGI
 * parsers. Header values are latin1, as node:http reads them; the path
 * variables are UTF-8, so a raw non-ASCII path keeps its characters (the URL
 * parser then percent-encodes them as a browser would).
 *
 * @example
 * buffer.toString(cgiParamEncoding(name), start, end)
 */
export const cgiParamEncoding = (name: string): BufferEncoding => (utf8Variables.has(name) ? 'utf8' : 'latin1')
