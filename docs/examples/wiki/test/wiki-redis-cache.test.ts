import { randomBytes } from 'node:crypto'
import { describe } from 'vitest'
import { serviceAvailable, services } from '../../../../test/support/services.js'
import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

const hasRedis = await serviceAvailable('redis')

describe.skipIf(!hasRedis)('with the Redis cache', () => {
  // Redis is shared with other suites and runs: a key prefix of this run's own, so no other wiki's pages are read.
  const cachePrefix = `test:${randomBytes(6).toString('hex')}:wiki-cache:`
  runWikiCase({ name: 'eta, awilix, SQLite, Redis cache', settings: { databaseUrl: tempDatabase('redis-cache'), cache: 'redis', redisUrl: services.redis.url, cachePrefix } })
})
