import { token } from '../container/token.js'
import { CacheBadOptions, CacheNotSerializable } from '../errors/codes.js'

/**
 * What a cache keeps: plain JSON. A `Date` comes back as its ISO string, a
 * class instance as a plain object, `undefined` inside an object is dropped;
 * the same from every cache, because every cache goes through JSON (see
 * {@link encodeCacheValue}). A BigInt, a cycle, a function or `undefined` as
 * the whole value are refused.
 *
 * The methods' types take any value (`unknown`, and a type parameter for what
 * comes back) so that an app's own interfaces pass without an index
 * signature; what JSON can't hold is refused at run time, the same in every
 * cache.
 */
export type CacheValue = null | boolean | number | string | CacheValue[] | { [key: string]: CacheValue }

/** How long an entry lives and which tags it carries. */
export interface CacheSetOptions {
  /** Milliseconds the entry lives: a whole number from 1 to {@link MAX_CACHE_TTL} (30 days). */
  ttl: number
  /**
   * Names for groups of entries, e.g. `['page:FrontPage']`: `clearTag('page:FrontPage')`
   * forgets every entry that carries it, in every process that shares the cache.
   */
  tags?: readonly string[]
}

/** The longest `ttl` a cache accepts: 30 days, in milliseconds. */
export const MAX_CACHE_TTL = 30 * 24 * 60 * 60 * 1000

/**
 * The cache slot's contract (version 1.0): values that can be computed again,
 * kept for a while. Implementations must pass `runCacheConformance` from
 * `dovetailjs/testing/conformance`.
 *
 * - `get(key)` answers what the last `set` of `key` stored, as a fresh copy,
 *   or `undefined` once it expired, was deleted, evicted or its tag cleared.
 * - `set(key, value, { ttl, tags })` stores a copy of `value` for `ttl` ms,
 *   replacing whatever was under `key`. A value JSON can't hold, or a ttl
 *   outside 1 ms to 30 days, is refused with a `DovetailError`.
 * - `delete(key)` forgets one entry; an unknown key is no error.
 * - `clearTag(tag)` forgets every entry stored with that tag, before it
 *   resolves, for every process that shares the cache (a Redis cache across
 *   machines); entries stored later with the tag are kept.
 * - `getOrCompute(key, compute, options)` answers the stored value, or runs
 *   `compute`, stores its result and answers it (as the copy a `get` would
 *   give). In one process, only one `compute` per key runs at a time:
 *   concurrent callers wait for the same one. A `compute` that throws stores
 *   nothing, and every caller waiting for it gets its error. A `clearTag` of
 *   one of the entry's tags while `compute` runs keeps the (possibly stale)
 *   result from being stored, and a caller that arrives after that clear
 *   does not wait for it: it computes anew (an editor reading their own edit
 *   must see it).
 *
 * Failures: a cache whose backend is down, unreachable or too slow
 * **rejects**, in bounded time, with a `ServiceUnavailableError` or whatever
 * its driver threw; it never answers `undefined` for an entry it could not
 * read, nor resolves a `set`, `delete` or `clearTag` it could not make (an
 * invalidation that silently failed would serve stale data). A
 * `DovetailError` means "this value or ttl can never be kept": the app's bug.
 */
export interface Cache {
  /** How logs name this cache and the service behind it, e.g. `'cache/redis (Redis at 10.0.0.5:6379)'`. */
  readonly name?: string
  get<T = CacheValue>(key: string): Promise<T | undefined>
  set(key: string, value: unknown, options: CacheSetOptions): Promise<void>
  delete(key: string): Promise<void>
  clearTag(tag: string): Promise<void>
  getOrCompute<T = CacheValue>(key: string, compute: () => T | Promise<T>, options: CacheSetOptions): Promise<T>
}

/**
 * The cache the app uses (singleton), filled by a component in the `cache` slot.
 *
 * @example
 * import { memoryCache } from 'dovetailjs/components/cache/memory'
 * defineConfig({ components: { cache: memoryCache({ maxEntries: 5_000 }) } })
 * // in a handler:
 * const rates = await ctx.resolve(Cache).getOrCompute('rates', fetchRates, { ttl: 60_000 })
 */
export const Cache = token<Cache>('Cache')

/**
 * A value as the JSON every cache stores. Fails with a `DovetailError`
 * (`DOVETAIL_ERR_CACHE_NOT_SERIALIZABLE`) naming the key and the reason
 * instead of storing something that would come back different.
 *
 * @example
 * await redis.set(key, encodeCacheValue(key, value), 'PX', ttl)
 */
export function encodeCacheValue(key: string, value: unknown): string {
  let json: string | undefined
  try {
    json = JSON.stringify(value)
  } catch (error) {
    throw CacheNotSerializable(
      `The cache can't keep the value for '${key}': it is not JSON (${(error as Error).message}). Cache plain JSON values (strings, numbers, booleans, null, arrays, plain objects).`,
      { cause: error },
    )
  }
  if (json === undefined) {
    throw CacheNotSerializable(`The cache can't keep the value for '${key}': ${typeof value} is not JSON. Cache plain JSON values; to forget a key, delete it.`)
  }
  return json
}

/**
 * The inverse of {@link encodeCacheValue}.
 *
 * @example
 * const value = decodeCacheValue(await redis.get(key))
 */
export function decodeCacheValue<T = CacheValue>(json: string | null | undefined): T | undefined {
  return typeof json === 'string' ? (JSON.parse(json) as T) : undefined
}

/**
 * Checks `options` of a `set` or `getOrCompute`: a ttl that is not a whole
 * number from 1 to 30 days, or a tag that is not a non-empty string, is the
 * caller's bug (`DOVETAIL_ERR_CACHE_BAD_OPTIONS`), so it fails here, before anything is
 * written, the same in every cache.
 *
 * @example
 * checkCacheOptions(key, options) // before writing anything
 */
export function checkCacheOptions(key: string, options: CacheSetOptions): void {
  const ttl = options?.ttl
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_CACHE_TTL) {
    throw CacheBadOptions(`The cache entry '${key}' was given ttl ${String(ttl)}: give a whole number of milliseconds from 1 to ${MAX_CACHE_TTL} (30 days).`)
  }
  for (const tag of options.tags ?? []) {
    if (typeof tag !== 'string' || tag === '') throw CacheBadOptions(`The cache entry '${key}' was given the tag ${JSON.stringify(tag)}: tags are non-empty strings.`)
  }
}
