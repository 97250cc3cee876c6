import { z } from 'zod'
import { Cache, defineComponent, Logger } from '../../../core/index.js'
import { workerNumber } from '../../../core/server-kit/index.js'
import { MemoryCache } from './memory-cache.js'

export const memoryCacheOptions = z.strictObject({
  /** The most entries kept; past it the least recently used go first. @default 10000 */
  maxEntries: z.number().int().positive().default(10_000),
  /** The most bytes (keys and JSON values, UTF-8) kept; past it the least recently used go first. @default 64 MiB */
  maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
})

/** What `memoryCache(...)` accepts. */
export type MemoryCacheComponentOptions = z.input<typeof memoryCacheOptions>

/**
 * The `cache` slot in process memory: bounded, least recently used evicted
 * first. For one process: with `workers` or several machines each process
 * keeps its own entries and `clearTag` reaches only the process it ran in,
 * so use the Redis cache there. Started in a cluster worker (`workers`), it
 * logs a warning saying so.
 *
 * @example
 * import { memoryCache } from 'dovetailjs/components/cache/memory'
 * defineConfig({ components: { cache: memoryCache({ maxEntries: 5_000, maxBytes: 16 * 1024 * 1024 }) } })
 * // or by name, with the defaults: components: { cache: 'memory' }
 */
export const memoryCache = defineComponent({
  name: 'cache/memory',
  slot: 'cache',
  contract: '^1.0',
  options: memoryCacheOptions,
  register(c, options) {
    c.singleton(Cache, () => new MemoryCache(options))
  },
  start(app) {
    const worker = workerNumber()
    if (worker !== undefined) {
      app.resolve(Logger).warn(
        { component: 'cache/memory', worker },
        "The memory cache is this worker's own: a clearTag here leaves the other workers serving what they stored until its ttl. Use the 'redis' cache (components.cache) with workers.",
      )
    }
  },
})
