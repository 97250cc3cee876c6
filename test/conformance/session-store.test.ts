import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { createApp, defineConfig, Logger, SessionStore } from 'dovetailjs'
import { runSessionStoreConformance } from 'dovetailjs/testing/conformance'
import { CookieSessionStore } from 'dovetailjs/components/session-store/cookie'
import { MemorySessionStore } from 'dovetailjs/components/session-store/memory'
import { redisStore, RedisSessionStore } from 'dovetailjs/components/session-store/redis'
import { faultProxy } from '../support/fault-proxy.js'
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
    // The store as the component builds it, on a path to Redis the test can break (Redis itself stays up).
    outage: {
      create: async () => {
        const proxy = await faultProxy(services.redis)
        const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
        const app = await createApp(
          defineConfig({
            environment: 'test',
            components: { 'session-store': redisStore({ url: `redis://127.0.0.1:${proxy.port}`, prefix: `test:${randomBytes(6).toString('hex')}:sess:` }) },
            register: (c) => void c.value(Logger, quiet),
          }),
        )
        return {
          store: app.resolve(SessionStore),
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

// The SQL store (SQLite, PostgreSQL, MariaDB) runs in session-store-sql.test.ts, in a worker of its own.
