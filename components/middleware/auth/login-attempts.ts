import { ServiceUnavailableError, token } from '../../../core/index.js'

/**
 * Where failed logins are counted for rate limiting: a sliding window of
 * failure times per key (`account:<name>`, `address:<ip>`).
 *
 * @example
 * // auth({ rateLimit: { store: 'container' } }) and:
 * register(c) { c.singleton(LoginAttempts, () => new MyAttemptsOnMemcached()) }
 */
export interface LoginAttempts {
  /** The times (ms) of the failures under `key` in the last `window` ms, oldest first. */
  failures(key: string, window: number): Promise<number[]>
  /** Count one failure under `key` now. */
  fail(key: string, window: number): Promise<void>
  /** Forget the failures under `key` (after a successful login). */
  reset(key: string): Promise<void>
}

/**
 * Register your own {@link LoginAttempts} under this token and set the auth
 * option `rateLimit.store: 'container'` to use it.
 */
export const LoginAttempts = token<LoginAttempts>('LoginAttempts')

/**
 * Failed logins in this process's memory: the default. Counts are per
 * process; with several processes, use the Redis one so a limit holds across
 * all of them.
 *
 * @example
 * const attempts = new MemoryLoginAttempts()
 * await attempts.fail('account:ada', 60_000)
 * (await attempts.failures('account:ada', 60_000)).length // 1
 */
export class MemoryLoginAttempts implements LoginAttempts {
  readonly #times = new Map<string, number[]>()
  #sweep: NodeJS.Timeout

  constructor(sweepEvery = 60_000, longestWindow = 24 * 60 * 60_000) {
    // Keys of attackers who never come back would otherwise stay forever.
    this.#sweep = setInterval(() => {
      const oldest = Date.now() - longestWindow
      for (const [key, times] of this.#times) if ((times.at(-1) ?? 0) < oldest) this.#times.delete(key)
    }, sweepEvery)
    this.#sweep.unref()
  }

  async failures(key: string, window: number): Promise<number[]> {
    const since = Date.now() - window
    const recent = (this.#times.get(key) ?? []).filter((t) => t > since)
    if (recent.length) this.#times.set(key, recent)
    else this.#times.delete(key)
    return recent
  }

  async fail(key: string, _window: number): Promise<void> {
    const times = this.#times.get(key) ?? []
    times.push(Date.now())
    this.#times.set(key, times)
  }

  async reset(key: string): Promise<void> {
    this.#times.delete(key)
  }

  close(): void {
    clearInterval(this.#sweep)
  }
}

/** A Redis transaction, as far as the Redis counter uses it (ioredis's `multi()`). */
export interface RedisMultiLike {
  zremrangebyscore(key: string, min: number | string, max: number | string): RedisMultiLike
  zadd(key: string, score: number, member: string): RedisMultiLike
  zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): RedisMultiLike
  pexpire(key: string, ms: number): RedisMultiLike
  exec(): Promise<Array<[Error | null, unknown]> | null>
}

/** The part of an ioredis client the Redis counter uses. */
export interface RedisLike {
  multi(): RedisMultiLike
  del(key: string): Promise<number>
}

/**
 * Failed logins in Redis, one sorted set per key, shared by every process.
 * Reuses the client of the Redis session store (auth option
 * `rateLimit.store: 'redis'`).
 *
 * @example
 * register(c) { c.singleton(LoginAttempts, () => new RedisLoginAttempts(new Redis(process.env.REDIS_URL!), 'shop:login:')) }
 */
export class RedisLoginAttempts implements LoginAttempts {
  readonly #client: RedisLike
  readonly #prefix: string

  constructor(client: RedisLike, prefix = 'dovetail:login:') {
    this.#client = client
    this.#prefix = prefix
  }

  async failures(key: string, window: number): Promise<number[]> {
    const k = this.#prefix + key
    const replies = await reach(this.#client.multi().zremrangebyscore(k, '-inf', Date.now() - window).zrange(k, 0, -1, 'WITHSCORES').exec())
    const flat = (replies?.[1]?.[1] ?? []) as string[]
    const times: number[] = []
    for (let i = 1; i < flat.length; i += 2) times.push(Number(flat[i]))
    return times
  }

  async fail(key: string, window: number): Promise<void> {
    const k = this.#prefix + key
    const now = Date.now()
    // A random member: two failures in the same millisecond are two entries.
    await reach(this.#client.multi().zadd(k, now, `${now}:${Math.random().toString(36).slice(2)}`).pexpire(k, window).exec())
  }

  async reset(key: string): Promise<void> {
    await reach(this.#client.del(this.#prefix + key))
  }
}

/**
 * A login cannot be judged without its failure count, so Redis being down is
 * the 503 of any other store outage, not a 500 (and never a login let through
 * unlimited). A transaction's per-command errors count as the store failing too.
 */
async function reach<T>(call: Promise<T>): Promise<T> {
  let result: T
  try {
    result = await call
  } catch (error) {
    throw new ServiceUnavailableError('The Redis behind the login rate limit is not answering', { cause: error })
  }
  const failed = Array.isArray(result) ? result.find((reply) => Array.isArray(reply) && reply[0] instanceof Error) : undefined
  if (failed) throw new ServiceUnavailableError('The Redis behind the login rate limit refused a command', { cause: failed[0] })
  return result
}
