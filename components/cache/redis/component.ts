import { z } from 'zod'
import { Cache, defineComponent, Logger } from '../../../core/index.js'
import { closeRedis, connectRedis, createRedisClient, redisConnectionOptions } from '../../session-store/redis/index.js'
import { RedisCache } from './redis-cache.js'

export const redisCacheOptions = z.strictObject({
  url: redisConnectionOptions.url,
  /** Put before every key the cache writes; apps (or test runs) sharing one Redis database each need their own. @default 'dovetail:cache:' */
  prefix: z.string().default('dovetail:cache:'),
  connectTimeout: redisConnectionOptions.connectTimeout,
  commandTimeout: redisConnectionOptions.commandTimeout,
  maxReconnectDelay: redisConnectionOptions.maxReconnectDelay,
})

/** What `redisCache(...)` accepts. */
export type RedisCacheComponentOptions = z.input<typeof redisCacheOptions>

/**
 * The `cache` slot on Redis (ioredis): one cache for every process and
 * machine of the app, so a `clearTag` on one is seen by all. Connects at
 * startup (an unreachable Redis stops the app); afterwards it reconnects on
 * its own, and while Redis is away every call rejects at once, within
 * `commandTimeout` at worst (the response cache answers 503).
 *
 * @example
 * import { redisCache } from 'dovetailjs/components/cache/redis'
 * defineConfig({ components: { cache: redisCache({ url: process.env.REDIS_URL, prefix: 'shop:cache:' }) } })
 * // or by name, with the defaults: components: { cache: 'redis' }
 */
export const redisCache = defineComponent({
  name: 'cache/redis',
  slot: 'cache',
  contract: '^1.0',
  options: redisCacheOptions,
  register(c, options) {
    c.singleton(Cache, (resolve) => {
      const client = createRedisClient(options, resolve(Logger), {
        component: 'cache/redis',
        whileDown: 'Cache reads and writes fail (cached routes are answered 503) until it is back',
      })
      return new RedisCache(client, { prefix: options.prefix })
    })
  },
  async start(app, options) {
    await connectRedis((app.resolve(Cache) as RedisCache).client, options, 'cache/redis')
  },
  async stop(app) {
    await closeRedis((app.resolve(Cache) as RedisCache).client)
  },
})
