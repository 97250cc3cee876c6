import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * HMAC-SHA256 cookie signing with key rotation: the first secret signs, every
 * secret verifies, so a deploy that adds a new secret in front keeps every
 * session signed with the old one alive until it is re-signed.
 *
 * @example
 * const cookieValue = sign(id, secrets[0])
 * unsign(cookieValue, secrets) // { value: id, index: 0 }
 */
export function sign(value: string, secret: string): string {
  return `${value}.${mac(value, secret)}`
}

/** Which secret verified a signed value; `index > 0` means it should be re-signed with the first. */
export interface Verified {
  value: string
  index: number
}

/**
 * The value inside a signed string, or `undefined` for a missing, malformed or forged signature.
 *
 * @example
 * const verified = unsign(raw, [newSecret, oldSecret])
 * if (verified?.index) reissue(verified.value) // signed with an older secret
 */
export function unsign(signed: string, secrets: readonly string[]): Verified | undefined {
  const dot = signed.lastIndexOf('.')
  if (dot <= 0) return undefined
  const value = signed.slice(0, dot)
  // The signature is compared as the text sign() wrote, not decoded first: base64url decoding skips
  // characters outside its alphabet and ignores the last character's spare bits, so decoding would let
  // many different cookie values (a space or '=' added, a last letter changed) pass as one.
  const given = Buffer.from(signed.slice(dot + 1))
  // 43 characters is a SHA-256 MAC in base64url; anything else is not ours and would make timingSafeEqual throw.
  if (given.length !== macLength) return undefined
  for (const [index, secret] of secrets.entries()) {
    if (timingSafeEqual(given, Buffer.from(mac(value, secret)))) return { value, index }
  }
  return undefined
}

const macLength = 43

const mac = (value: string, secret: string): string => createHmac('sha256', secret).update(value).digest('base64url')
