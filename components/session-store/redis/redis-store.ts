import type { Redis } from 'ioredis'
import { decodeSession, encodeSession, type SessionData, type SessionStore } from '../../../core/index.js'

export interface RedisStoreOptions {
  /** Put before every session id, so sessions share a database with other data safely. @default 'dovetail:sess:' */
  prefix?: string
}

/**
 * Sessions in Redis: one string key per session, written with `SET … PX ttl`
 * so Redis itself forgets an expired session. Shared by every process of the
 * app and kept across restarts.
 *
 * @example
 * import { Redis } from 'ioredis'
 * const store = new RedisSessionStore(new Redis('redis://127.0.0.1:6379'), { prefix: 'myapp:sess:' })
 */
export class RedisSessionStore implements SessionStore {
  /** The ioredis client, shared with helpers that keep other short-lived data (login attempt counts). */
  readonly client: Redis
  readonly prefix: string

  constructor(client: Redis, options: RedisStoreOptions = {}) {
    this.client = client
    this.prefix = options.prefix ?? 'dovetail:sess:'
  }

  async get(id: string): Promise<SessionData | undefined> {
    return decodeSession(await this.client.get(this.prefix + id))
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    // PX takes whole milliseconds, at least 1.
    await this.client.set(this.prefix + id, encodeSession(data), 'PX', Math.max(1, Math.ceil(ttl)))
  }

  async destroy(id: string): Promise<void> {
    await this.client.del(this.prefix + id)
  }

  async touch(id: string, ttl: number): Promise<void> {
    await this.client.pexpire(this.prefix + id, Math.max(1, Math.ceil(ttl)))
  }
}
