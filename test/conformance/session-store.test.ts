import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { runSessionStoreConformance } from 'dovetailjs/testing/conformance'
import { CookieSessionStore } from 'dovetailjs/components/session-store/cookie'
import { MemorySessionStore } from 'dovetailjs/components/session-store/memory'
import { RedisSessionStore } from 'dovetailjs/components/session-store/redis'
import { services, serviceAvailable } from '../support/services.js'

const secret = 'conformance-secret-0123456789-abcdefghij'

runSessionStoreConformance({
  name: 'session-store/memory',
  createStore: () => new MemorySessionStore(),
  close: (store) => (store as MemorySessionStore).close(),
})

runSessionStoreConformance({
  name: 'session-store/cookie',
  createStore: () => new CookieSessionStore({ secrets: [secret] }),
  // What fits in one cookie once encrypted and base64url-encoded.
  maxValueBytes: 2_500,
})

if (await serviceAvailable('redis')) {
  runSessionStoreConformance({
    name: 'session-store/redis',
    // A prefix of its own, so a run never reads another run's keys.
    createStore: () => new RedisSessionStore(new Redis(services.redis.url), { prefix: `test:${randomBytes(6).toString('hex')}:sess:` }),
    close: (store) => (store as RedisSessionStore).client.quit(),
  })
}

// The SQL store (SQLite, PostgreSQL, MariaDB) runs in session-store-sql.test.ts, in a worker of its own.
