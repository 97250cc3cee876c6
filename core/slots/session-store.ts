import { token } from '../container/token.js'
import { SessionNotSerializable } from '../errors/codes.js'

/**
 * What a store keeps for one session: plain JSON values. Dates come back as
 * strings and class instances as plain objects, the same from every store,
 * because every store goes through JSON (see {@link encodeSession}).
 */
export type SessionData = Record<string, unknown>

/**
 * One session as the session middleware stores it: the app's values plus the
 * two times its expiry rules need. Stores treat it as opaque {@link SessionData}.
 */
export interface SessionRecord {
  /** The app's values. */
  data: SessionData
  /** When the session was created (ms since the epoch): the absolute timeout counts from here. */
  created: number
  /** When the idle timeout was last reset (ms since the epoch). */
  active: number
}

/**
 * The session-store slot's contract (version 1.1): where sessions live between
 * requests. Implementations must pass `runSessionStoreConformance` from
 * `dovetailjs/testing`.
 *
 * - `get(id)` returns what the last `set` stored under `id`, or `undefined`
 *   for an unknown, destroyed or expired id. It never throws for a bad id.
 * - `set(id, data, ttl)` stores a copy of `data` for `ttl` milliseconds,
 *   replacing whatever was there, in one atomic step: two concurrent `set`s
 *   of one id leave one of the two values whole, never a mix or an error.
 *   It resolves only once the write is durable for the store (the middleware
 *   awaits it before the response leaves, so a client never holds a cookie
 *   for a session that was not saved).
 * - `destroy(id)` forgets the session; destroying an unknown id is no error.
 * - `touch(id, ttl)`, optional: extend the life of a stored session without
 *   sending its data again.
 *
 * A store whose `stateless` is true keeps nothing server-side: the session
 * travels in the cookie. Its `set` returns the value to put in the cookie
 * (the sealed session) and its `get` takes that value back; `destroy` can only
 * be carried out by the middleware clearing the cookie.
 *
 * Failures (1.1 says what was implied): a store whose backend is down,
 * unreachable or too slow **rejects**, in bounded time. `get` never answers
 * `undefined` for a session it could not read, since the middleware would
 * take that for "no session" and log the user out (or worse, let a write
 * replace what it never saw); `set` never resolves for a write it could not
 * make. Reject with a `ServiceUnavailableError` or with whatever the driver
 * threw: the session middleware answers any rejection with a 503 and
 * `Retry-After`. The one exception is a store refusing a value it can never
 * keep (not JSON, too large for a cookie): that is the app's bug, and the
 * store says so with a `DovetailError`, which stays a 500.
 */
export interface SessionStore {
  /** True when the session lives in the cookie itself (see above). */
  readonly stateless?: boolean
  /**
   * How logs name this store and the service behind it, e.g.
   * `'session-store/redis (Redis at 10.0.0.5:6379)'`, so an outage says which
   * dependency is down. Optional (1.1).
   */
  readonly name?: string
  get(id: string): Promise<SessionData | undefined>
  /** @returns nothing, or for a stateless store the cookie value. */
  set(id: string, data: SessionData, ttl: number): Promise<string | void>
  destroy(id: string): Promise<void>
  touch?(id: string, ttl: number): Promise<void>
}

/**
 * The session store the app uses (singleton), filled by a component in the
 * `session-store` slot.
 *
 * @example
 * import { memoryStore } from 'dovetailjs/components/session-store/memory'
 * defineConfig({ components: { 'session-store': memoryStore(), middleware: [session({ secrets })] } })
 */
export const SessionStore = token<SessionStore>('SessionStore')

/**
 * The session middleware's signing secrets, newest first. Registered by the
 * session middleware so a stateless store can derive its encryption keys from
 * the same list instead of being configured twice.
 *
 * @example
 * c.singleton(SessionStore, (resolve) => new CookieSessionStore({ secrets: resolve(SessionSecrets) }))
 */
export const SessionSecrets = token<readonly string[]>('SessionSecrets')

/**
 * Session data as JSON, for stores that write strings. Fails with an error
 * naming the key when a value can't be stored (a BigInt, a cycle), instead of
 * a bare `TypeError` from deep inside a request.
 *
 * @example
 * await redis.set(key, encodeSession(data), 'PX', ttl)
 */
export function encodeSession(data: SessionData): string {
  try {
    return JSON.stringify(data)
  } catch (error) {
    const where = unserializablePath(data, '', new Set())
    throw SessionNotSerializable(
      `The session can't be stored: ${where ? `the value under '${where}'` : 'a value'} is not JSON-serializable (${(error as Error).message}). ` +
        'Keep plain JSON values (strings, numbers, booleans, null, arrays, plain objects) in the session.',
      { cause: error },
    )
  }
}

/** The dotted path of the first value JSON.stringify chokes on (a BigInt, a cycle), for the error message. */
function unserializablePath(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (typeof value === 'bigint') return path
  if (typeof value !== 'object' || value === null) return undefined
  if (seen.has(value)) return path
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined
  seen.add(value)
  for (const [key, child] of Object.entries(value)) {
    const found = unserializablePath(child, path ? `${path}.${key}` : key, seen)
    if (found !== undefined) return found
  }
  seen.delete(value)
  return undefined
}

/**
 * The inverse of {@link encodeSession}; `undefined` for anything that is not a stored session.
 *
 * @example
 * return decodeSession(await redis.get(key))
 */
export function decodeSession(text: string | null | undefined): SessionData | undefined {
  if (typeof text !== 'string') return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as SessionData) : undefined
  } catch {
    return undefined
  }
}
