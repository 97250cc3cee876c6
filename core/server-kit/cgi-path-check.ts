import { ServerControlCharacter } from '../errors/codes.js'
import type { HttpError } from '../errors/http-error.js'
import type { CgiParams } from './cgi-variables.js'

/** The meta-variables the request's URL is built from (see `cgiUrl`). */
const pathVariables = new Set(['REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING'])

// C0 controls (NUL included) and DEL. Why refuse rather than encode: the URL
// parser silently deletes tab, CR and LF and trims the other controls from the
// ends, so the app would route on a path the web server never matched its own
// rules against ("/adm\tin" is "/admin" to the app); and a NUL ends the string
// for any C library the path reaches later.
const controlCharacter = /[\u0000-\u001f\u007f]/

/**
 * Refuse a request whose path variables (`REQUEST_URI`, `SCRIPT_NAME`,
 * `PATH_INFO`, `QUERY_STRING`) hold a control character or NUL: throws a 400
 * `HttpError` with the code `DOVETAIL_ERR_SERVER_CONTROL_CHARACTER`.
 * {@link cgiRequest} calls it first, so every adapter built on it refuses such
 * a request before the app runs; call it yourself only if you build the
 * `Request` another way. Answer the error with {@link cgiRefusal}.
 *
 * A client cannot put these characters in a request line, but a web server
 * decodes `PATH_INFO` and `SCRIPT_NAME` from the percent-encoded target
 * (`/app.cgi/a%0Ab` gives `PATH_INFO=/a\nb`), and a lenient one may pass
 * a raw target on in `REQUEST_URI`.
 *
 * @example
 * checkCgiPath([['REQUEST_URI', '/a%0Ab']])     // fine: still percent-encoded
 * checkCgiPath([['PATH_INFO', '/a\nb']])        // throws HttpError 400 DOVETAIL_ERR_SERVER_CONTROL_CHARACTER
 */
export function checkCgiPath(params: CgiParams): void {
  for (const [name, value] of params) {
    if (!pathVariables.has(name)) continue
    const found = controlCharacter.exec(value)
    if (found) throw refusal(name, found[0], found.index)
  }
}

function refusal(name: string, character: string, at: number): HttpError {
  const code = `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`
  return ServerControlCharacter(
    `The web server passed ${name} with the control character ${code} at offset ${at}; a path or query holding control characters or NUL is refused.`,
  )
}
