import { z } from 'zod'
import { defineComponent, Logger, SessionStore } from '../../../core/index.js'
import { closeRedis, connectRedis, createRedisClient, redisConnectionOptions } from './redis-client.js'
import { RedisSessionStore } from './redis-store.js'

export const redisStoreOptions = z.strictObject({
  url: redisConnectionOptions.url,
  prefix: z.string().default('dovetail:sess:'),
  connectTimeout: redisConnectionOptions.connectTimeout,
  commandTimeout: redisConnectionOptions.commandTimeout,
  maxReconnectDelay: redisConnectionOptions.maxReconnectDelay,
})

/**
 * The `session-store` slot on Redis (ioredis). Connects at startup, so an
 * unreachable Redis stops the app before its first request; afterwards it
 * reconnects on its own, and while Redis is away every session read or write
 * fails at once (a 503 from the session middleware) instead of waiting.
 *
 * @example
 * import { redisStore } from 'dovetailjs/components/session-store/redis'
 * defineConfig({ components: { 'session-store': redisStore({ url: process.env.REDIS_URL, prefix: 'shop:sess:' }) } })
 * // or by name, with the defaults: components: { 'session-store': 'redis' }
 */
export const redisStore = defineComponent({
  name: 'session-store/redis',
  slot: 'session-store',
  contract: '^1.0',
  options: redisStoreOptions,
  register(c, options) {
    c.singleton(SessionStore, (resolve) => {
      const client = createRedisClient(options, resolve(Logger), {
        component: 'session-store/redis',
        whileDown: 'Requests that need a session are answered 503 until it is back',
      })
      return new RedisSessionStore(client, { prefix: options.prefix })
    })
  },
  async start(app, options) {
    await connectRedis((app.resolve(SessionStore) as RedisSessionStore).client, options, 'session-store/redis')
  },
  async stop(app) {
    await closeRedis((app.resolve(SessionStore) as RedisSessionStore).client)
  },
})
