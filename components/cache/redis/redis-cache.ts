import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import {
  type Cache,
  type CacheSetOptions,
  type CacheValue,
  checkCacheOptions,
  encodeCacheValue,
  MAX_CACHE_TTL,
  SingleFlight,
} from '../../../core/index.js'
import { callRedis } from '../../session-store/redis/index.js'

export interface RedisCacheOptions {
  /** Put before every key this cache writes, so it shares a Redis database with other data safely. @default 'dovetail:cache:' */
  prefix?: string
}

/** A tag's version as an entry recorded it: '' for a tag never cleared (no version key). */
type Versions = Record<string, string>

/**
 * A cache in Redis, shared by every process and machine that uses the same
 * Redis and prefix. Keys: `<prefix>e:<key>` for entries (`SET … PX ttl`, so
 * Redis forgets them on time), `<prefix>t:<tag>` for tag versions.
 *
 * Tags are versions rather than sets of keys. `clearTag` writes a new random
 * version under the tag's key; an entry records the versions of its tags when
 * it is stored, and a `get` that finds any of them changed answers a miss.
 * Chosen over a Redis set of keys per tag because:
 * - a clear is one O(1) write however many entries carry the tag, and leaves
 *   nothing to clean up (a set of keys outlives the entries that expired);
 * - `getOrCompute` reads the versions *before* it computes, so a value
 *   computed from data that an edit on another machine changed meanwhile is
 *   stored already stale, and never served: with key sets, a render that
 *   started before the edit and finished after it would be cached as fresh.
 * The price is one more round trip (`MGET` of the versions) on a hit of a
 * tagged entry.
 *
 * A version key lives 30 days after its clear, the longest ttl an entry may
 * have: by then every entry that recorded the version before it is gone, so
 * its expiry can never bring such an entry back. (Versions are random rather
 * than counters for the same reason: a counter that expired would count 1, 2,
 * 3 again and could match an old entry.)
 *
 * @example
 * import { Redis } from 'ioredis'
 * const cache = new RedisCache(new Redis('redis://127.0.0.1:6379', { commandTimeout: 1_000 }), { prefix: 'shop:cache:' })
 */
export class RedisCache implements Cache {
  /** The ioredis client. */
  readonly client: Redis
  readonly prefix: string
  readonly #flights = new SingleFlight<string>()

  constructor(client: Redis, options: RedisCacheOptions = {}) {
    this.client = client
    this.prefix = options.prefix ?? 'dovetail:cache:'
  }

  /** `cache/redis (Redis at host:port)`, for logs and errors. */
  get name(): string {
    return `cache/redis (Redis at ${this.client.options.host}:${this.client.options.port})`
  }

  async get<T = CacheValue>(key: string): Promise<T | undefined> {
    const text = await this.#call(() => this.client.get(this.#entryKey(key)))
    if (text === null) return undefined
    const entry = JSON.parse(text) as { t: Versions; v: T }
    const tags = Object.keys(entry.t)
    if (tags.length > 0) {
      const now = await this.#versions(tags)
      if (tags.some((tag) => now[tag] !== entry.t[tag])) return undefined
    }
    return entry.v
  }

  async set(key: string, value: unknown, options: CacheSetOptions): Promise<void> {
    checkCacheOptions(key, options)
    const json = encodeCacheValue(key, value)
    await this.#store(key, json, options, await this.#versions(options.tags ?? []))
  }

  async delete(key: string): Promise<void> {
    await this.#call(() => this.client.del(this.#entryKey(key)))
  }

  async clearTag(tag: string): Promise<void> {
    const version = randomBytes(9).toString('base64url')
    await this.#call(() => this.client.set(this.#tagKey(tag), version, 'PX', MAX_CACHE_TTL))
  }

  async getOrCompute<T = CacheValue>(key: string, compute: () => T | Promise<T>, options: CacheSetOptions): Promise<T> {
    checkCacheOptions(key, options)
    const hit = await this.get<T>(key)
    if (hit !== undefined) return hit
    // Before computing: a clear from now on makes what is computed stale (see the class comment). Read before
    // joining, and part of the flight's key: a caller who comes after a clear (made by any process) sees new
    // versions, so it starts its own computation instead of waiting for one begun on the data before the clear.
    const versions = await this.#versions(options.tags ?? [])
    const json = await this.#flights.run(`${key}\u0000${JSON.stringify(versions)}`, async () => {
      const json = encodeCacheValue(key, await compute())
      // Cleared meanwhile: storing it would only overwrite what a caller after the clear stored (it would read as a miss).
      const now = await this.#versions(options.tags ?? [])
      if (Object.keys(versions).every((tag) => now[tag] === versions[tag])) await this.#store(key, json, options, versions)
      return json
    })
    // Each caller its own copy, as from a hit.
    return JSON.parse(json) as T
  }

  async #store(key: string, json: string, options: CacheSetOptions, versions: Versions): Promise<void> {
    // Written by hand around the already-encoded value, so it is not parsed and encoded twice.
    const entry = `{"t":${JSON.stringify(versions)},"v":${json}}`
    await this.#call(() => this.client.set(this.#entryKey(key), entry, 'PX', options.ttl))
  }

  /** The current version of each tag ('' for one never cleared), in one round trip. */
  async #versions(tags: readonly string[]): Promise<Versions> {
    const unique = [...new Set(tags)]
    if (unique.length === 0) return {}
    const values = await this.#call(() => this.client.mget(unique.map((tag) => this.#tagKey(tag))))
    return Object.fromEntries(unique.map((tag, i) => [tag, values[i] ?? '']))
  }

  #entryKey(key: string): string {
    return `${this.prefix}e:${key}`
  }

  #tagKey(tag: string): string {
    return `${this.prefix}t:${tag}`
  }

  #call<T>(command: () => Promise<T>): Promise<T> {
    return callRedis(this.client, this.name, command)
  }
}
