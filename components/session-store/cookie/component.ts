import { z } from 'zod'
import { defineComponent, SessionSecrets, SessionStore, type Token } from '../../../core/index.js'
import { CookieSessionStore } from './cookie-store.js'
import { SessionNoSecrets } from './errors.js'

export const cookieStoreOptions = z.strictObject({
  /** Defaults to the session middleware's secrets. */
  secrets: z.array(z.string().min(32, 'each secret must be at least 32 characters of random text')).min(1).optional(),
  maxBytes: z.number().int().min(256).max(4000).default(3800),
})

/**
 * The `session-store` slot with no server-side state: the session is
 * encrypted (AES-256-GCM, keys derived from the session secrets) into the
 * cookie itself. Good for small sessions (a user id, a CSRF secret, a flash
 * message) on apps that should not need Redis or a table; a session can't be
 * revoked before it expires.
 *
 * @example
 * import { cookieStore } from 'dovetailjs/components/session-store/cookie'
 * defineConfig({ components: { 'session-store': cookieStore(), middleware: [sessionMiddleware({ secrets })] } })
 * // or by name: components: { 'session-store': 'cookie' }
 */
export const cookieStore = defineComponent({
  name: 'session-store/cookie',
  slot: 'session-store',
  contract: '^1.0',
  options: cookieStoreOptions,
  register(c, options) {
    c.singleton(SessionStore, (resolve) => new CookieSessionStore({ secrets: options.secrets ?? secretsFrom(resolve), maxBytes: options.maxBytes }))
  },
})

function secretsFrom(resolve: <T>(token: Token<T>) => T): readonly string[] {
  try {
    return resolve(SessionSecrets)
  } catch (error) {
    throw SessionNoSecrets(
      "session-store/cookie has no secrets to encrypt with: add the session middleware (it shares its secrets) or give cookieStore({ secrets: [...] }).",
      { cause: error },
    )
  }
}
