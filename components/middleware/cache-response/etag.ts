import { createHash } from 'node:crypto'

/**
 * A strong entity tag from the body's bytes (SHA-256, 128 bits of it): the
 * same body gives the same tag on every process and machine, so a client's
 * `If-None-Match` is answered 304 whichever one it reaches.
 *
 * @example
 * strongEtag(new TextEncoder().encode('hello')) // '"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ"'.slice(0, 24) + '"'
 */
export function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
}

/**
 * Whether an `If-None-Match` header matches `etag`, by the weak comparison
 * RFC 9110 (13.1.2) prescribes for it: `*`, or any listed tag whose opaque
 * part equals ours, `W/` or not.
 *
 * @example
 * noneMatch('W/"abc", "def"', '"abc"') // true
 */
export function noneMatch(header: string | null, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  const ours = etag.replace(/^W\//, '')
  for (const match of header.matchAll(/(?:W\/)?"[^"]*"/g)) if (match[0].replace(/^W\//, '') === ours) return true
  return false
}
