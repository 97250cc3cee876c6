/** How the session cookie is written. */
export interface CookieAttributes {
  name: string
  path: string
  domain?: string | undefined
  sameSite: 'lax' | 'strict' | 'none'
  /** `'auto'`: Secure when the request came over https. */
  secure: 'auto' | boolean
  httpOnly: boolean
}

/**
 * Every value the `Cookie` header carries under `name`, in order. A browser may
 * send several (one per matching path or domain); the caller keeps the first
 * that verifies rather than trusting the first one sent.
 *
 * @example
 * readCookies('theme=dark; sid=abc.def', 'sid') // ['abc.def']
 */
export function readCookies(header: string | null, name: string): string[] {
  if (!header) return []
  const values: string[] = []
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue
    let value = part.slice(eq + 1).trim()
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    if (value) values.push(value)
  }
  return values
}

/**
 * A `Set-Cookie` value. `maxAge` in seconds; `undefined` makes a browser-session cookie, 0 deletes it.
 *
 * @example
 * serializeCookie('abc', { name: 'sid', path: '/', sameSite: 'lax', secure: 'auto', httpOnly: true }, true, 3600)
 * // 'sid=abc; Path=/; Max-Age=3600; Expires=…; HttpOnly; Secure; SameSite=Lax'
 */
export function serializeCookie(value: string, attributes: CookieAttributes, secure: boolean, maxAge?: number): string {
  const parts = [`${attributes.name}=${value}`, `Path=${attributes.path}`]
  if (attributes.domain) parts.push(`Domain=${attributes.domain}`)
  if (maxAge !== undefined) {
    const seconds = Math.max(0, Math.floor(maxAge))
    parts.push(`Max-Age=${seconds}`, `Expires=${new Date(seconds === 0 ? 0 : Date.now() + seconds * 1000).toUTCString()}`)
  }
  if (attributes.httpOnly) parts.push('HttpOnly')
  if (secure) parts.push('Secure')
  parts.push(`SameSite=${attributes.sameSite === 'lax' ? 'Lax' : attributes.sameSite === 'strict' ? 'Strict' : 'None'}`)
  return parts.join('; ')
}

/** Whether the Secure attribute applies: the node server puts the scheme (or a trusted X-Forwarded-Proto) in the URL. */
export const isSecure = (attributes: CookieAttributes, request: Request): boolean =>
  attributes.secure === 'auto' ? request.url.startsWith('https:') : attributes.secure
