import type { Redis } from 'ioredis'
import { decodeSession, encodeSession, type SessionData, type SessionStore } from '../../../core/index.js'
import { callRedis } from './redis-client.js'

export interface RedisStoreOptions {
  /** Put before every session id, so sessions share a database with other data safely. @default 'dovetail:sess:' */
  prefix?: string
}

/**
 * Sessions in Redis: one string key per session, written with `SET … PX ttl`
 * so Redis itself forgets an expired session. Shared by every process of the
 * app and kept across restarts.
 *
 * When Redis does not answer, every method rejects with a
 * `ServiceUnavailableError` naming Redis (the session middleware answers 503);
 * a command that timed out also resets the connection (see `callRedis`). How fast
 * that happens is the client's business: the `redisStore` component sets
 * `commandTimeout` and turns the offline queue off.
 *
 * @example
 * import { Redis } from 'ioredis'
 * const store = new RedisSessionStore(new Redis('redis://127.0.0.1:6379', { commandTimeout: 1_000 }), { prefix: 'myapp:sess:' })
 */
export class RedisSessionStore implements SessionStore {
  /** The ioredis client, shared with helpers that keep other short-lived data (login attempt counts). */
  readonly client: Redis
  readonly prefix: string

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.client = client
    this.prefix = options.prefix ?? 'dovetail:sess:'
  }

  /** `session-store/redis (Redis at host:port)`, for logs and errors. */
  get name(): string {
    return `session-store/redis (Redis at ${this.client.options.host}:${this.client.options.port})`
  }

  async get(id: string): Promise<SessionData | undefined> {
    return decodeSession(await this.#call(() => this.client.get(this.prefix + id)))
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    // Encoded first, so a value JSON can't hold is the app's error (a DovetailError), not an outage.
    const json = encodeSession(data)
    // PX takes whole milliseconds, at least 1.
    await this.#call(() => this.client.set(this.prefix + id, json, 'PX', Math.max(1, Math.ceil(ttl))))
  }

  async destroy(id: string): Promise<void> {
    await this.#call(() => this.client.del(this.prefix + id))
  }

  async touch(id: string, ttl: number): Promise<void> {
    await this.#call(() => this.client.pexpire(this.prefix + id, Math.max(1, Math.ceil(ttl))))
  }

  /** One command; any failure of it means Redis is unavailable to this request (see `callRedis`). */
  #call<T>(command: () => Promise<T>): Promise<T> {
    return callRedis(this.client, this.name, command)
  }
}
