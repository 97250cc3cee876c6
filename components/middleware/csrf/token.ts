import { randomBytes, timingSafeEqual } from 'node:crypto'

const SECRET_BYTES = 32

/** A new per-session CSRF secret (256 random bits). */
export const newCsrfSecret = (): string => randomBytes(SECRET_BYTES).toString('base64url')

/**
 * The token to put in a form: the session's secret XORed with a fresh random
 * mask, mask first. Every page gets a different string for the same secret,
 * so a compressed HTTPS response never repeats it byte for byte (BREACH).
 */
export function maskToken(secret: string): string {
  const raw = Buffer.from(secret, 'base64url')
  const mask = randomBytes(raw.length)
  const masked = Buffer.alloc(raw.length)
  for (let i = 0; i < raw.length; i++) masked[i] = raw[i]! ^ mask[i]!
  return Buffer.concat([mask, masked]).toString('base64url')
}

/** Whether a token from a request was made from `secret`, compared in constant time. */
export function tokenMatches(token: string, secret: string): boolean {
  const raw = Buffer.from(secret, 'base64url')
  const bytes = Buffer.from(token, 'base64url')
  if (raw.length !== SECRET_BYTES || bytes.length !== raw.length * 2) return false
  const unmasked = Buffer.alloc(raw.length)
  for (let i = 0; i < raw.length; i++) unmasked[i] = bytes[i]! ^ bytes[i + raw.length]!
  return timingSafeEqual(unmasked, raw)
}
