import { LRUCache } from 'lru-cache'
import { type Cache, type CacheSetOptions, type CacheValue, checkCacheOptions, decodeCacheValue, encodeCacheValue, SingleFlight } from '../../../core/index.js'

export interface MemoryCacheOptions {
  /** The most entries kept; past it the least recently used go first. @default 10000 */
  maxEntries?: number
  /** The most bytes of JSON (keys included) kept; past it the least recently used go first. @default 67108864 (64 MiB) */
  maxBytes?: number
}

interface Entry {
  json: string
  tags: readonly string[]
}

/** A `getOrCompute` under way: its tags, and whether a clear since it began makes its result stale. */
interface Computing {
  key: string
  tags: readonly string[]
  stale: boolean
}

/**
 * A cache in this process's memory: bounded by entries and by bytes, least
 * recently used evicted first (lru-cache does the bookkeeping: it is the
 * well-kept implementation npm itself uses). Values are kept as JSON text, so
 * a hit gives a fresh copy and behaves exactly as a Redis cache would.
 *
 * Tags: an index from each tag to its keys, kept in step with lru-cache's
 * `dispose` (eviction, expiry, replacement), so `clearTag` costs the entries
 * it forgets, not a scan. Not shared between processes: with workers or
 * several machines, use the Redis cache.
 *
 * @example
 * const cache = new MemoryCache({ maxEntries: 1_000 })
 * await cache.set('greeting', 'hello', { ttl: 60_000, tags: ['greetings'] })
 */
export class MemoryCache implements Cache {
  readonly name = 'cache/memory'
  readonly #entries: LRUCache<string, Entry>
  readonly #byTag = new Map<string, Set<string>>()
  readonly #flights = new SingleFlight<string>()
  readonly #computing = new Set<Computing>()

  constructor(options: MemoryCacheOptions = {}) {
    this.#entries = new LRUCache<string, Entry>({
      max: options.maxEntries ?? 10_000,
      maxSize: options.maxBytes ?? 64 * 1024 * 1024,
      // Bytes of the key and the JSON text in UTF-8: what a Redis cache would hold for the entry.
      sizeCalculation: (entry, key) => Math.max(1, Buffer.byteLength(entry.json) + Buffer.byteLength(key)),
      dispose: (entry, key) => this.#unindex(key, entry.tags),
    })
  }

  /** Entries held now (expired ones linger until touched or evicted, and are never answered). */
  get size(): number {
    return this.#entries.size
  }

  async get<T = CacheValue>(key: string): Promise<T | undefined> {
    return decodeCacheValue<T>(this.#entries.get(key)?.json)
  }

  async set(key: string, value: unknown, options: CacheSetOptions): Promise<void> {
    checkCacheOptions(key, options)
    this.#store(key, encodeCacheValue(key, value), options)
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key)
    for (const computing of this.#computing) if (computing.key === key) computing.stale = true
  }

  async clearTag(tag: string): Promise<void> {
    for (const key of [...(this.#byTag.get(tag) ?? [])]) this.#entries.delete(key)
    for (const computing of this.#computing) {
      if (!computing.tags.includes(tag)) continue
      computing.stale = true
      // Whoever asks after this clear computes anew rather than waiting for the stale result.
      this.#flights.forget(computing.key)
    }
  }

  async getOrCompute<T = CacheValue>(key: string, compute: () => T | Promise<T>, options: CacheSetOptions): Promise<T> {
    checkCacheOptions(key, options)
    const hit = this.#entries.get(key)
    if (hit) return decodeCacheValue<T>(hit.json)!
    const json = await this.#flights.run(key, async () => {
      const computing: Computing = { key, tags: options.tags ?? [], stale: false }
      this.#computing.add(computing)
      try {
        const json = encodeCacheValue(key, await compute())
        if (!computing.stale) this.#store(key, json, options)
        return json
      } finally {
        this.#computing.delete(computing)
      }
    })
    // Each caller its own copy, as from a hit.
    return decodeCacheValue<T>(json)!
  }

  #store(key: string, json: string, options: CacheSetOptions): void {
    const tags = [...new Set(options.tags ?? [])]
    // lru-cache disposes of the entry this replaces first, which takes its key out of its old tags.
    this.#entries.set(key, { json, tags }, { ttl: options.ttl })
    // A value larger than maxBytes is not kept (lru-cache refuses it): then there is nothing to index.
    if (!this.#entries.has(key)) return
    for (const tag of tags) {
      let keys = this.#byTag.get(tag)
      if (!keys) this.#byTag.set(tag, (keys = new Set()))
      keys.add(key)
    }
  }

  #unindex(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#byTag.get(tag)
      keys?.delete(key)
      if (keys?.size === 0) this.#byTag.delete(tag)
    }
  }
}
