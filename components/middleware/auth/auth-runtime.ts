import { type Context, type Middleware, token } from '../../../core/index.js'
import { session } from '../session/index.js'
import { AuthNoMiddleware, AuthNoUserLoader, AuthRateLimited } from './errors.js'
import type { LoginAttempts } from './login-attempts.js'

/** What the auth helpers need to know about a user: an id, and optionally roles and permissions. */
export interface AuthUser {
  id: string | number
  roles?: readonly string[]
  permissions?: readonly string[]
}

/**
 * Turns the id kept in the session back into a user (or `undefined` if it no
 * longer exists). Give it as the auth option `loadUser`, or register it under
 * this token (scoped if it uses the request's `Db`).
 *
 * @example
 * register(c) { c.scoped(UserLoader, (resolve) => (id) => resolve(Db).findOne(User, { id })) }
 */
export type UserLoader = (id: string, ctx: Context) => AuthUser | undefined | Promise<AuthUser | undefined>

export const UserLoader = token<UserLoader>('UserLoader')

export interface RateLimitSettings {
  perAccount: { max: number; window: number }
  perAddress: { max: number; window: number }
}

/** The auth middleware's settings, after validation (see `authOptions` for defaults). */
export interface AuthSettings {
  loadUser: UserLoader | undefined
  loginPath: string
  sessionKey: string
  rateLimit: RateLimitSettings
  clientAddress: ((ctx: Context) => string | undefined) | undefined
  rolesOf: (user: AuthUser) => readonly string[]
  permissionsOf: (user: AuthUser) => readonly string[]
}

interface Runtime {
  settings: AuthSettings
  attempts: LoginAttempts
  user?: Promise<AuthUser | undefined>
}

const runtimes = new WeakMap<Context, Runtime>()

/** @internal The auth middleware's per-request state, or a clear error if it did not run. */
export function runtimeOf(ctx: Context, helper: string): Runtime {
  const runtime = runtimes.get(ctx)
  if (!runtime) {
    throw AuthNoMiddleware(
      `${helper} was used for ${ctx.request.method} ${ctx.path}, but the auth middleware did not handle this request. ` +
        "Add auth({ loadUser }) from 'dovetailjs/components/middleware/auth' to components.middleware, after the session middleware.",
    )
  }
  return runtime
}

export function createAuthMiddleware(settings: AuthSettings, attempts: LoginAttempts): Middleware {
  return async function authMiddleware(ctx, next) {
    runtimes.set(ctx, { settings, attempts })
    return next()
  }
}

/**
 * The signed-in user, loaded once per request on first use (a request that
 * never asks loads nothing); `undefined` for a visitor. A session naming a
 * user the loader no longer finds is signed out.
 *
 * @example
 * r.get('/', async (ctx) => {
 *   const user = await currentUser<User>(ctx)
 *   return ctx.render('home', { user })
 * })
 */
export function currentUser<U extends AuthUser = AuthUser>(ctx: Context): Promise<U | undefined> {
  const runtime = runtimeOf(ctx, 'currentUser(ctx)')
  runtime.user ??= (async () => {
    const s = await session(ctx)
    const id = s.get(runtime.settings.sessionKey)
    if (typeof id !== 'string') return undefined
    const user = await loaderOf(ctx, runtime.settings)(id, ctx)
    if (!user) s.delete(runtime.settings.sessionKey)
    return user ?? undefined
  })()
  return runtime.user as Promise<U | undefined>
}

function loaderOf(ctx: Context, settings: AuthSettings): UserLoader {
  if (settings.loadUser) return settings.loadUser
  try {
    return ctx.resolve(UserLoader)
  } catch (error) {
    throw AuthNoUserLoader(
      'middleware/auth has no way to load the signed-in user: give auth({ loadUser: (id, ctx) => ... }) or register UserLoader in the container.',
      { cause: error },
    )
  }
}

/**
 * Sign a user in: a new session id (the old one is destroyed, so an id
 * planted before login is worthless) that remembers the user's id.
 *
 * @example
 * const user = await attemptLogin(ctx, email, async () => { ... })
 * if (user) return ctx.redirect(safeRedirect(ctx.query.next, '/'), 303)
 */
export async function login(ctx: Context, user: AuthUser): Promise<void> {
  const runtime = runtimeOf(ctx, 'login(ctx, user)')
  const s = await session(ctx)
  s.regenerate()
  s.set(runtime.settings.sessionKey, String(user.id))
  runtime.user = Promise.resolve(user)
}

/**
 * Sign out: the whole session is destroyed and its cookie cleared.
 *
 * @example
 * r.post('/logout', async (ctx) => { await logout(ctx); return ctx.redirect('/', 303) })
 */
export async function logout(ctx: Context): Promise<void> {
  const runtime = runtimeOf(ctx, 'logout(ctx)')
  ;(await session(ctx)).destroy()
  runtime.user = Promise.resolve(undefined)
}

/** The client's address for per-address limiting, or `undefined` when the app can't know it. */
function addressOf(ctx: Context, settings: AuthSettings): string | undefined {
  return settings.clientAddress?.(ctx) ?? undefined
}

/**
 * Check credentials under the login rate limits, and sign the user in when
 * `check` returns one. Failures are counted per account and per client
 * address in a sliding window; past either limit the answer is a 429 with
 * `Retry-After`, before `check` runs (so a locked account costs no hashing).
 * A success clears the account's count.
 *
 * @param account what identifies the account tried (an email), case-insensitive
 * @param check verifies the credentials; returns the user, or `undefined` if they are wrong
 * @returns the signed-in user, or `undefined` for wrong credentials
 *
 * @example
 * r.post('/login', async (ctx) => {
 *   const form = await ctx.request.formData()
 *   const email = String(form.get('email'))
 *   const user = await attemptLogin(ctx, email, async () => {
 *     const found = await users.byEmail(email)
 *     return (await verifyPassword(String(form.get('password')), found?.passwordHash)) ? found : undefined
 *   })
 *   if (!user) return ctx.render('login', { error: 'Wrong email or password' }, { status: 401 })
 *   return ctx.redirect(safeRedirect(ctx.query.next, '/'), 303)
 * })
 */
export async function attemptLogin<U extends AuthUser>(ctx: Context, account: string, check: () => Promise<U | undefined>): Promise<U | undefined> {
  const runtime = runtimeOf(ctx, 'attemptLogin(ctx, …)')
  const { attempts, settings } = runtime
  const { perAccount, perAddress } = settings.rateLimit
  const accountKey = `account:${account.trim().toLowerCase()}`
  const address = addressOf(ctx, settings)
  const addressKey = address === undefined ? undefined : `address:${address}`

  const [accountFailures, addressFailures] = await Promise.all([
    attempts.failures(accountKey, perAccount.window),
    addressKey ? attempts.failures(addressKey, perAddress.window) : Promise.resolve([]),
  ])
  const wait = Math.max(retryAfter(accountFailures, perAccount), retryAfter(addressFailures, perAddress))
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60)
    throw AuthRateLimited(`Too many failed sign-in attempts. Try again in ${minutes === 1 ? 'a minute' : `${minutes} minutes`}.`, {
      headers: { 'retry-after': String(wait) },
    })
  }

  const user = await check()
  if (!user) {
    await Promise.all([attempts.fail(accountKey, perAccount.window), addressKey ? attempts.fail(addressKey, perAddress.window) : undefined])
    return undefined
  }
  await attempts.reset(accountKey)
  await login(ctx, user)
  return user
}

/** Seconds until one more attempt is allowed under `limit`, or 0 if it is allowed now. */
function retryAfter(failures: readonly number[], limit: { max: number; window: number }): number {
  if (failures.length < limit.max) return 0
  // The attempt is allowed once enough of the oldest failures have left the window.
  const freesUp = failures[failures.length - limit.max]! + limit.window
  return Math.max(1, Math.ceil((freesUp - Date.now()) / 1000))
}

/**
 * A redirect target from a query parameter (`?next=`), only if it is a path on
 * this site; anything else (`https://evil.example`, `//evil.example`,
 * `/\evil.example`) gives `fallback`. Use it on every post-login redirect.
 *
 * @example
 * return ctx.redirect(safeRedirect(ctx.query.next, '/'), 303)
 */
export function safeRedirect(target: string | null | undefined, fallback = '/'): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback
  // Control characters (a tab or newline inside '/\t/evil.example') are dropped by URL parsers.
  if (/[\u0000-\u001f\u007f]/.test(target)) return fallback
  return target
}
