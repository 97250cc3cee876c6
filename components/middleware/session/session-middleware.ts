import { type Context, editHeaders, type Logger, type Middleware, type SessionData, type SessionRecord, type SessionStore } from '../../../core/index.js'
import { SessionNoMiddleware } from './errors.js'
import { type CookieAttributes, isSecure, readCookies, serializeCookie } from './cookie.js'
import { newSessionId, RequestSession, type Session } from './request-session.js'
import { sign, unsign, type Verified } from './signing.js'
import { StoreGuard, type StoreGuardSettings } from './store-guard.js'

/** The session middleware's settings, after validation (see `sessionOptions` for defaults). */
export interface SessionSettings {
  secrets: readonly string[]
  cookie: CookieAttributes & { persistent: boolean }
  /** Milliseconds without a request after which the session ends. */
  idleTimeout: number
  /** Milliseconds after creation (or the last regenerate) after which the session ends, however active. */
  absoluteTimeout: number
  /** What a store that is down or slow costs a request: a 503 after at most `timeout` ms, with `Retry-After`. */
  store: StoreGuardSettings
}

interface Handle {
  load(): Promise<RequestSession>
}

const handles = new WeakMap<Context, Handle>()

/**
 * How many verified cookie values one session middleware remembers, and how long
 * one may be: a session id and its MAC are 87 characters, so this holds about
 * 1,000 visitors in about 250 KB. Longer values (a whole session sealed in the
 * cookie, which changes on every write anyway) are verified every time.
 */
const VERIFIED_COOKIES = 1024
const VERIFIED_COOKIE_LENGTH = 128

/**
 * This request's session, loaded from the store on first use (a request that
 * never asks costs no store read). Needs the session middleware in the list
 * before whatever calls it.
 *
 * Rejects with a `ServiceUnavailableError` (503, `Retry-After`) when the
 * session store is down or too slow: a request never continues with an empty
 * session in place of one it could not read.
 *
 * @example
 * r.post('/cart', async (ctx) => {
 *   const s = await session<{ cart: string[] }>(ctx)
 *   s.set('cart', [...(s.get('cart') ?? []), ctx.query.item!])
 *   return ctx.redirect('/cart', 303)
 * })
 */
export function session<D extends object = SessionData>(ctx: Context): Promise<Session<D>> {
  const handle = handles.get(ctx)
  if (!handle) {
    throw SessionNoMiddleware(
      `session(ctx) was called for ${ctx.request.method} ${ctx.path}, but the session middleware did not handle this request. ` +
        "Add session({ secrets }) from 'dovetailjs/components/middleware/session' to components.middleware, before any middleware that uses it.",
    )
  }
  return handle.load() as unknown as Promise<Session<D>>
}

/**
 * Whether the session middleware handles this request (for middleware that works with or without one).
 *
 * @example
 * const user = hasSession(ctx) ? (await session(ctx)).get('user') : undefined
 */
export const hasSession = (ctx: Context): boolean => handles.has(ctx)

/**
 * The middleware behind the `middleware/session` component: loads the session
 * lazily, and after the handler has answered saves it (awaiting the store, so
 * the response never promises a session that was not written) and sets the
 * cookie, but only when there is something to write. The component builds it;
 * call it yourself only to use a store outside the container.
 *
 * When the store fails or times out, on load or on save, the request is
 * answered 503 with `Retry-After` instead of the handler's response (see
 * `StoreGuard`); the outage is logged through `logger`, once.
 *
 * @example
 * const middleware = createSessionMiddleware(new MemorySessionStore(), { secrets, cookie, idleTimeout, absoluteTimeout, store: { timeout: 3_000, retryAfter: 5 } }, logger)
 */
export function createSessionMiddleware(store: SessionStore, settings: SessionSettings, logger?: Logger): Middleware {
  const stateless = store.stateless === true
  const refreshAfter = settings.idleTimeout / 4
  const guard = new StoreGuard(store, settings.store, logger)
  // Cookie values whose signature checked out lately, so a returning visitor's
  // cookie costs a map lookup rather than an HMAC per request (about 8 µs of a
  // page view in a profile). Only values that verified are kept (a forged one is
  // checked every time), and the cookie is the client's to choose, so the map is
  // bounded: past the limit, the oldest entry goes.
  const verified = new Map<string, Verified>()
  const verify = (raw: string): Verified | undefined => {
    const known = verified.get(raw)
    if (known) return known
    const result = unsign(raw, settings.secrets)
    if (result && raw.length <= VERIFIED_COOKIE_LENGTH) {
      if (verified.size >= VERIFIED_COOKIES) verified.delete(verified.keys().next().value!)
      verified.set(raw, result)
    }
    return result
  }

  const load = async (ctx: Context): Promise<RequestSession> => {
    for (const raw of readCookies(ctx.request.headers.get('cookie'), settings.cookie.name)) {
      const signed = verify(raw)
      if (!signed) continue
      // A store that fails rejects here (a 503): never taken for "no session", which would log the user out.
      const record = asRecord(await guard.call('get', () => store.get(signed.value)))
      if (!record) continue
      const now = Date.now()
      if (now >= record.created + settings.absoluteTimeout || now >= record.active + settings.idleTimeout) continue
      const s = new RequestSession(stateless, { id: signed.value, record })
      // A cookie signed with an older secret is re-signed with the newest, so the old one can be retired.
      s.reissue = signed.index > 0
      if (s.reissue || now - record.active >= refreshAfter) s.force = true
      return s
    }
    // No cookie, or a forged, unknown or expired one: a fresh session, and never the id the client offered.
    return new RequestSession(stateless)
  }

  const commit = async (ctx: Context, s: RequestSession, response: Response): Promise<Response> => {
    // First, and before any Set-Cookie: when the store can't destroy a session (logout, regenerate),
    // the request fails with a 503 and the cookie stays. Clearing it would tell the user they are
    // logged out while the session lives on for anyone holding a copy of the cookie; kept, it lets
    // the retry destroy that same session.
    await Promise.all(s.retired.map((id) => guard.call('destroy', () => store.destroy(id))))
    const secure = isSecure(settings.cookie, ctx.request)
    const write = s.changed || s.force
    if (!write) {
      return s.clearCookie ? withCookie(response, serializeCookie('', settings.cookie, secure, 0)) : response
    }
    const now = Date.now()
    let record: SessionRecord = { data: s.data, created: s.created, active: now }
    const id = s.currentId
    if (!stateless && s.continued && id !== undefined) {
      // Apply only this request's changes on top of what is stored now, so two
      // requests of one session that change different keys both keep theirs.
      const stored = asRecord(await guard.call('get', () => store.get(id)))
      if (!stored) {
        // Destroyed meanwhile (a logout in another tab): don't bring it back.
        return withCookie(response, serializeCookie('', settings.cookie, secure, 0))
      }
      record = { data: applyChanges(stored.data, s.original, s.data), created: stored.created, active: now }
    }
    const writeId = id ?? (stateless ? '' : newSessionId())
    const remaining = record.created + settings.absoluteTimeout - now
    const ttl = Math.min(settings.idleTimeout, remaining)
    const value = (await guard.call('set', () => store.set(writeId, record as unknown as SessionData, ttl))) ?? writeId
    const cookieChanged = stateless || !s.continued || s.reissue
    if (!cookieChanged) return response
    const maxAge = settings.cookie.persistent ? Math.ceil(remaining / 1000) : undefined
    return withCookie(response, serializeCookie(sign(value, settings.secrets[0]!), settings.cookie, secure, maxAge))
  }

  return async function sessionMiddleware(ctx, next) {
    let loaded: Promise<RequestSession> | undefined
    handles.set(ctx, { load: () => (loaded ??= load(ctx)) })
    const response = await next()
    if (!loaded) return response
    let s: RequestSession
    try {
      s = await loaded
    } catch {
      // The load failed and the handler caught that and answered anyway: there is nothing to save.
      return response
    }
    return commit(ctx, s, response)
  }
}

/** The response with a Set-Cookie added (copied first if its headers are immutable, as after Response.redirect). */
const withCookie = (response: Response, cookie: string): Response => editHeaders(response, (headers) => headers.append('set-cookie', cookie))

function asRecord(value: SessionData | undefined): SessionRecord | undefined {
  if (!value) return undefined
  const { data, created, active } = value as Partial<SessionRecord>
  if (typeof data !== 'object' || data === null || typeof created !== 'number' || typeof active !== 'number') return undefined
  return { data, created, active }
}

/** `stored` with the keys this request set, changed or deleted (relative to `before`) applied. */
function applyChanges(stored: SessionData, before: SessionData, after: SessionData): SessionData {
  const result = { ...stored }
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!Object.hasOwn(after, key)) {
      if (Object.hasOwn(before, key)) delete result[key]
    } else if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      result[key] = after[key]
    }
  }
  return result
}
