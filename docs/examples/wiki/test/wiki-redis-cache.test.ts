import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, describe } from 'vitest'
import { serviceAvailable, services } from '../../../../test/support/services.js'
import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

const hasRedis = await serviceAvailable('redis')

describe.skipIf(!hasRedis)('with the Redis cache', () => {
  // Redis is shared with other suites and runs: a key prefix of this run's own, so no other wiki's pages are read.
  const cachePrefix = `test:${randomBytes(6).toString('hex')}:wiki-cache:`
  // Tag versions live 30 days: leave nothing of this run in the shared Redis.
  afterAll(async () => {
    const redis = new Redis(services.redis.url)
    const keys = await redis.keys(`${cachePrefix}*`)
    if (keys.length) await redis.del(...keys)
    await redis.quit()
  })
  runWikiCase({ name: 'eta, awilix, SQLite, Redis cache', settings: { databaseUrl: tempDatabase('redis-cache'), cache: 'redis', redisUrl: services.redis.url, cachePrefix } })
})
