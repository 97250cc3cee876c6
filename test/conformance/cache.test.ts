import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { Cache, createApp, defineConfig, Logger } from 'dovetailjs'
import { runCacheConformance } from 'dovetailjs/testing/conformance'
import { MemoryCache } from 'dovetailjs/components/cache/memory'
import { redisCache, RedisCache } from 'dovetailjs/components/cache/redis'
import { faultProxy } from '../support/fault-proxy.js'
import { services, serviceAvailable } from '../support/services.js'

runCacheConformance({
  name: 'cache/memory',
  createCache: () => new MemoryCache(),
})

if (await serviceAvailable('redis')) {
  // A prefix of its own, so a run never reads another run's keys.
  const prefix = `test:${randomBytes(6).toString('hex')}:cache:`
  runCacheConformance({
    name: 'cache/redis',
    createCache: () => new RedisCache(new Redis(services.redis.url), { prefix }),
    // Tag versions live 30 days: leave nothing of this run in the shared Redis.
    close: async (cache) => {
      const { client } = cache as RedisCache
      const keys = await client.keys(`${prefix}*`)
      if (keys.length) await client.del(...keys)
      await client.quit()
    },
    // Another process: its own connection, the same prefix.
    createPeer: () => new RedisCache(new Redis(services.redis.url), { prefix }),
    closePeer: (peer) => (peer as RedisCache).client.quit(),
    // The cache as the component builds it, on a path to Redis the test can break (Redis itself stays up).
    outage: {
      create: async () => {
        const proxy = await faultProxy(services.redis)
        const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
        const app = await createApp(
          defineConfig({
            environment: 'test',
            components: { cache: redisCache({ url: `redis://127.0.0.1:${proxy.port}`, prefix: `test:${randomBytes(6).toString('hex')}:cache:` }) },
            register: (c) => void c.value(Logger, quiet),
          }),
        )
        return {
          cache: app.resolve(Cache),
          cutOff: () => {
            proxy.setMode('refuse')
            proxy.cut()
          },
          restore: () => proxy.setMode('pass'),
          close: async () => {
            await app.close()
            await proxy.close()
          },
        }
      },
    },
  })
}
