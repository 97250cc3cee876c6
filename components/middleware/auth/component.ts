import { z } from 'zod'
import { type Context, defineComponent, DovetailError, SessionStore, type Token } from '../../../core/index.js'
import { type AuthSettings, type AuthUser, createAuthMiddleware, UserLoader } from './auth-runtime.js'
import { AuthNoUserLoader } from './errors.js'
import { LoginAttempts, MemoryLoginAttempts, type RedisLike, RedisLoginAttempts } from './login-attempts.js'

const fn = <T>(option: string) => z.custom<T>((value) => typeof value === 'function', { message: `${option} must be a function` })
const minutes = (n: number) => n * 60_000
const limit = (max: number) =>
  z.strictObject({ max: z.number().int().positive().default(max), window: z.number().int().positive().default(minutes(15)) }).prefault({})

export const authOptions = z.strictObject({
  /** Turns the id in the session into a user; else `UserLoader` is resolved from the container. */
  loadUser: fn<(id: string, ctx: Context) => AuthUser | undefined | Promise<AuthUser | undefined>>('loadUser').optional(),
  /** Where browsers that are not signed in are sent, with `?next=`. */
  loginPath: z.string().startsWith('/').default('/login'),
  /** The session key that holds the signed-in user's id. */
  sessionKey: z.string().min(1).default('dovetail.user'),
  rateLimit: z
    .strictObject({
      /** Failed logins allowed per account in the window (ms). */
      perAccount: limit(10),
      /** Failed logins allowed per client address in the window (ms). */
      perAddress: limit(100),
      /** `'memory'` (one process), `'redis'` (the Redis session store's client), `'container'` (your `LoginAttempts`). */
      store: z.enum(['memory', 'redis', 'container']).default('memory'),
    })
    .prefault({}),
  /** Take the client address from the last X-Forwarded-For entry (only behind a proxy you run that sets it). */
  trustProxy: z.boolean().default(false),
  /** The client address for per-address limiting, when `trustProxy` does not fit. */
  clientAddress: fn<(ctx: Context) => string | undefined>('clientAddress').optional(),
  rolesOf: fn<(user: AuthUser) => readonly string[]>('rolesOf').optional(),
  permissionsOf: fn<(user: AuthUser) => readonly string[]>('permissionsOf').optional(),
})

/** What `auth(...)` accepts. */
export type AuthOptions = z.input<typeof authOptions>
type Parsed = z.output<typeof authOptions>

const forwardedFor = (ctx: Context): string | undefined => ctx.request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || undefined

const settingsOf = (o: Parsed): AuthSettings => ({
  loadUser: o.loadUser,
  loginPath: o.loginPath,
  sessionKey: o.sessionKey,
  rateLimit: { perAccount: o.rateLimit.perAccount, perAddress: o.rateLimit.perAddress },
  clientAddress: o.clientAddress ?? (o.trustProxy ? forwardedFor : (ctx) => ctx.clientAddress),
  rolesOf: o.rolesOf ?? ((user) => user.roles ?? []),
  permissionsOf: o.permissionsOf ?? ((user) => user.permissions ?? []),
})

/**
 * Authentication on top of the session: `currentUser(ctx)`, `login`,
 * `logout`, `attemptLogin` (rate limited per account and per address),
 * guards (`requireUser`, `requireRole`, `requirePermission`) and scrypt
 * password hashing. List it after the session middleware.
 *
 * @example
 * import { auth } from 'dovetailjs/components/middleware/auth'
 * defineConfig({
 *   components: {
 *     'session-store': 'redis',
 *     middleware: [sessionMiddleware({ secrets }), csrf(), auth({ loadUser: (id) => users.byId(id), rateLimit: { store: 'redis' } })],
 *   },
 * })
 */
export const auth = defineComponent({
  name: 'middleware/auth',
  slot: 'middleware',
  contract: '^1.0',
  requires: ['session-store'],
  options: authOptions,
  register(c, options) {
    if (options.rateLimit.store === 'memory') {
      c.singleton(LoginAttempts, () => new MemoryLoginAttempts(), { dispose: (attempts) => (attempts as MemoryLoginAttempts).close() })
    } else if (options.rateLimit.store === 'redis') {
      c.singleton(LoginAttempts, (resolve) => new RedisLoginAttempts(redisClientOf(resolve(SessionStore))))
    }
  },
  middleware(app, options) {
    return createAuthMiddleware(settingsOf(options), resolveOr(app.resolve, LoginAttempts, () => {
      throw new DovetailError(
        'DOVETAIL_ERR_COMPONENT_OPTIONS',
        "middleware/auth has rateLimit.store 'container', but nothing is registered under LoginAttempts. Register one (register(c) { c.singleton(LoginAttempts, ...) }) or use 'memory' or 'redis'.",
      )
    }))
  },
  start(app, options) {
    if (!options.loadUser) {
      resolveOr(app.resolve, UserLoader, () => {
        throw AuthNoUserLoader(
          'middleware/auth has no way to load the signed-in user: give auth({ loadUser: (id, ctx) => ... }) or register UserLoader in the container.',
        )
      })
    }
  },
})

/** Resolve `token`; `missing()` when nothing is registered. A scoped registration (no scope at boot) counts as present. */
function resolveOr<T>(resolve: <R>(t: Token<R>) => R, t: Token<T>, missing: () => never): T {
  try {
    return resolve(t)
  } catch (error) {
    const code = (error as DovetailError).code
    if (code === 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED') missing()
    if (code === 'DOVETAIL_ERR_CONTAINER_NO_SCOPE') return undefined as T
    throw error
  }
}

function redisClientOf(store: SessionStore): RedisLike {
  const client = (store as { client?: Partial<RedisLike> }).client
  if (typeof client?.multi !== 'function' || typeof client.del !== 'function') {
    throw new DovetailError(
      'DOVETAIL_ERR_COMPONENT_OPTIONS',
      "middleware/auth has rateLimit.store 'redis', which shares the Redis session store's connection, but the session-store slot holds another store. Use components['session-store']: 'redis', or rateLimit.store 'memory' or 'container'.",
    )
  }
  return client as RedisLike
}
