import { createHash } from 'node:crypto'

/**
 * A strong entity tag from the body's bytes (SHA-256, its first 132 bits as 22 base64url characters): the
 * same body gives the same tag on every process and machine, so a client's
 * `If-None-Match` is answered 304 whichever one it reaches.
 *
 * @example
 * strongEtag(new TextEncoder().encode('hello')) // '"LPJNul-wow4m6Dsqxbninh"'
 */
export function strongEtag(body: Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`
}
