/**
 * What the server kit's app sends and the kit expects back: one definition
 * for both sides, which may run in two processes (a CGI program and the test).
 */

/** A text with two-, three- and four-byte UTF-8 characters, so a body cut or decoded on the wrong boundary shows. */
export const UTF8_TEXT = 'héllo wörld · 日本語のテキスト · emoji 🎉🚀 · ﬁn\n'

/** Set-Cookie lines, each its own header line: one with a comma in its value, one with a date (which has a comma). */
export const COOKIES = ['a=1; Path=/; HttpOnly', 'b=2; Path=/; SameSite=Lax', 'c=3, with comma; Secure', 'd=4; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/']

/** The message of the error the throwing route throws: it must not reach the client. */
export const SECRET_MESSAGE = 'kit: a secret the 500 page must not show'

/** The parts of the held stream: the first is sent at once, the rest once the test has seen it. */
export const STREAM_FIRST = 'first;'
export const STREAM_REST = 'second;last'

/** How long the app waits for a signal from the test before going on, so a failed test leaves no process behind. */
export const APP_WAIT_LIMIT = 30_000

/** `bytes` bytes of a repeating, position-dependent pattern, so a lost or reordered chunk shows. */
export function patternBytes(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i++) out[i] = (i * 7 + (i >> 10)) & 0xff
  return out
}

/** Hex SHA-256, with WebCrypto: the app side may run on any fetch host. */
export async function sha256(data: Uint8Array<ArrayBuffer> | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const digest = await crypto.subtle.digest('SHA-256', bytes)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
