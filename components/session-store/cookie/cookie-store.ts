import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { decodeSession, encodeSession, type SessionData, type SessionStore } from '../../../core/index.js'
import { SessionCookieTooLarge, SessionNoSecrets } from './errors.js'

export interface CookieStoreOptions {
  /** Newest first: the first encrypts, every one decrypts. Each at least 32 characters. */
  secrets: readonly string[]
  /** The largest sealed session, in bytes, before the cookie's name, signature and attributes. @default 3800 */
  maxBytes?: number
}

const VERSION = 1
const IV_BYTES = 12
const TAG_BYTES = 16
// Binds the ciphertext to this use, so a blob sealed elsewhere with the same secret never opens here.
const AAD = Buffer.from('dovetail session cookie v1')

/** An AES-256 key per secret, derived with HKDF so the raw secret (also the HMAC key) is never the cipher key. */
const deriveKey = (secret: string): Buffer =>
  Buffer.from(hkdfSync('sha256', secret, 'dovetailjs/session-store/cookie', 'aes-256-gcm key', 32))

/**
 * A stateless session store: the whole session, with its expiry time, is
 * encrypted and authenticated with AES-256-GCM and travels in the cookie.
 * Nothing is kept on the server, so nothing can be revoked there either:
 * `destroy` only tells the middleware to clear the cookie, and a copy of an
 * old cookie stays valid until it expires. Keep the idle timeout short.
 *
 * @example
 * const store = new CookieSessionStore({ secrets: [process.env.SESSION_SECRET!] })
 * const sealed = await store.set('', { user: 1 }, 60_000)
 * await store.get(sealed) // { user: 1 }
 */
export class CookieSessionStore implements SessionStore {
  readonly stateless = true
  /** Nothing to be unavailable: no service behind it, so it never answers 503. */
  readonly name: string = 'session-store/cookie'
  readonly #keys: Buffer[]
  readonly #maxBytes: number

  constructor(options: CookieStoreOptions) {
    if (!options.secrets.length) {
      throw SessionNoSecrets('session-store/cookie needs at least one secret (option secrets).')
    }
    this.#keys = options.secrets.map(deriveKey)
    this.#maxBytes = options.maxBytes ?? 3800
  }

  async get(sealed: string): Promise<SessionData | undefined> {
    const bytes = Buffer.from(sealed, 'base64url')
    if (bytes.length < 1 + IV_BYTES + TAG_BYTES || bytes[0] !== VERSION) return undefined
    const iv = bytes.subarray(1, 1 + IV_BYTES)
    const tag = bytes.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES)
    const ciphertext = bytes.subarray(1 + IV_BYTES + TAG_BYTES)
    for (const key of this.#keys) {
      let plain: string
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(AAD).setAuthTag(tag)
        plain = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8')
      } catch {
        continue // sealed with another key, or forged
      }
      const sealedSession = decodeSession(plain) as { e?: unknown; d?: unknown } | undefined
      if (typeof sealedSession?.e !== 'number' || sealedSession.e <= Date.now()) return undefined
      return typeof sealedSession.d === 'object' && sealedSession.d !== null ? (sealedSession.d as SessionData) : undefined
    }
    return undefined
  }

  /** Seal `data` for `ttl` ms; returns the cookie value. The id is not needed: the cookie is the session. */
  async set(_id: string, data: SessionData, ttl: number): Promise<string> {
    // The data is encoded on its own first, so a bad value is reported by its own key.
    const plain = Buffer.from(`{"e":${Date.now() + ttl},"d":${encodeSession(data)}}`, 'utf8')
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.#keys[0]!, iv).setAAD(AAD)
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()])
    const sealed = Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]).toString('base64url')
    if (sealed.length > this.#maxBytes) {
      throw SessionCookieTooLarge(
        `The session is ${sealed.length} bytes once sealed, over session-store/cookie's limit of ${this.#maxBytes} (option maxBytes); ` +
          'browsers drop cookies over about 4 KB. Keep less in the session (ids rather than whole records), ' +
          "or use a server-side store: components['session-store']: 'redis' or 'sql'.",
      )
    }
    return sealed
  }

  /** Nothing to forget on the server: the middleware clears the cookie. */
  async destroy(_sealed: string): Promise<void> {}
}
