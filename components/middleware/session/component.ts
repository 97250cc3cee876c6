import { z } from 'zod'
import { defineComponent, Logger, SessionSecrets, SessionStore, token } from '../../../core/index.js'
import { createSessionMiddleware } from './session-middleware.js'

const secretMessage =
  'each session secret must be at least 32 characters of random text (e.g. the output of `openssl rand -base64 48`), kept out of the source code'

const minute = 60_000

export const sessionOptions = z
  .strictObject({
    /** Newest first: the first signs, every one verifies. Rotate by putting a new secret in front. */
    secrets: z
      .array(z.string().min(32, secretMessage), { error: 'give at least one secret of 32 or more characters (secrets: [process.env.SESSION_SECRET])' })
      .min(1, 'give at least one secret (secrets: [process.env.SESSION_SECRET])'),
    cookie: z
      .strictObject({
        name: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'a cookie name is letters, digits and !#$%&\'*+-.^_`|~').default('sid'),
        /** Printable ASCII only, and no `;`: anything else would end the attribute or split the header. */
        path: z
          .string()
          .regex(/^\/[\x20-\x3a\x3c-\x7e]*$/, 'a cookie path starts with / and is printable ASCII without ; (no control characters, CR or LF); percent-encode anything else')
          .default('/'),
        /** A host name (letters, digits, hyphens, dots; an IDN in its xn-- form), e.g. `example.com`. */
        domain: z
          .string()
          .regex(
            /^\.?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/,
            'a cookie domain is a host name such as example.com: letters, digits, hyphens and dots only (an international name in its xn-- form), no ; or whitespace',
          )
          .optional(),
        sameSite: z.enum(['lax', 'strict', 'none']).default('lax'),
        /** `'auto'`: Secure exactly when the request came over https. */
        secure: z.union([z.literal('auto'), z.boolean()]).default('auto'),
        httpOnly: z.boolean().default(true),
        /** Give the cookie a Max-Age (until the absolute timeout); false makes it end with the browser session. */
        persistent: z.boolean().default(true),
      })
      .prefault({})
      .refine((c) => c.sameSite !== 'none' || c.secure !== false, {
        message: "sameSite 'none' needs a Secure cookie (browsers drop it otherwise): leave secure at 'auto' or set it to true",
      }),
    /** @default 2 hours */
    idleTimeout: z.number().int().positive().default(120 * minute),
    /** @default 7 days */
    absoluteTimeout: z.number().int().positive().default(7 * 24 * 60 * minute),
    /** When the session store is down or slow, the request is answered 503 rather than run without its session. */
    store: z
      .strictObject({
        /** Milliseconds one store read or write may take before the request is answered 503. @default 3000 */
        timeout: z.number().int().positive().default(3_000),
        /** Seconds the 503 asks the client to wait before retrying (`Retry-After`). @default 5 */
        retryAfter: z.number().int().nonnegative().default(5),
      })
      .prefault({}),
  })

/** What `session(...)` accepts. */
export type SessionOptions = z.input<typeof sessionOptions>

/**
 * The name of the session cookie (the `cookie.name` option), registered by
 * the session component for those that describe it: middleware/auth's
 * OpenAPI security scheme reads it.
 *
 * @example
 * app.resolve(SessionCookieName) // 'sid'
 */
export const SessionCookieName = token<string>('SessionCookieName')

/**
 * Sessions for handlers: a signed cookie (HMAC-SHA256, rotating secrets) that
 * names a session kept by the component in the `session-store` slot. Handlers
 * use `await session(ctx)`. Nothing is written unless the session changed.
 *
 * @example
 * import { session } from 'dovetailjs/components/middleware/session'
 * defineConfig({
 *   components: {
 *     'session-store': 'redis',
 *     middleware: [session({ secrets: [process.env.SESSION_SECRET!], idleTimeout: 30 * 60_000 })],
 *   },
 * })
 */
export const sessionMiddleware = defineComponent({
  name: 'middleware/session',
  slot: 'middleware',
  contract: '^1.0',
  requires: ['session-store'],
  options: sessionOptions,
  register(c, options) {
    // The cookie store derives its encryption keys from these, so secrets are configured once.
    c.value(SessionSecrets, options.secrets)
    c.value(SessionCookieName, options.cookie.name)
  },
  middleware(app, options) {
    return createSessionMiddleware(app.resolve(SessionStore), options, app.resolve(Logger))
  },
})
