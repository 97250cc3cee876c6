import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, DovetailError, SessionStore } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { redisStore, RedisSessionStore } from 'dovetailjs/components/session-store/redis'
import { services, serviceAvailable } from '../../../test/support/services.js'

const secrets = ['redis-test-secret-0123456789-0123456789']

describe('session-store/redis', () => {
  it('stops the app at startup when Redis is unreachable, naming the URL and the option', async () => {
    const error = await createApp(
      defineConfig({ environment: 'test', components: { 'session-store': redisStore({ url: 'redis://user:hunter2@127.0.0.1:1' }) } }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_START')
    expect((error as Error).message).toMatch(/session-store\/redis could not connect to redis:\/\/user:\*\*\*@127\.0\.0\.1:1.*Check the url option/)
    expect((error as Error).message).not.toContain('hunter2')
  })

  it('refuses a URL that is not a Redis URL', async () => {
    await expect(createApp(defineConfig({ components: { 'session-store': redisStore({ url: '127.0.0.1:6379' }) } }))).rejects.toThrow(
      /option 'url': a Redis URL starts with redis:\/\//,
    )
  })
})

describe.skipIf(!(await serviceAvailable('redis')))('session-store/redis against Redis', () => {
  it('keeps sessions under its prefix with a TTL, through the session middleware', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { 'session-store': redisStore({ url: services.redis.url, prefix }), middleware: [sessionMiddleware({ secrets, idleTimeout: 60_000 })] },
        routes(r) {
          r.post('/visit', async (ctx) => {
            const s = await session<{ visits: number }>(ctx)
            s.set('visits', (s.get('visits') ?? 0) + 1)
            return ctx.json({ visits: s.get('visits') })
          })
        },
      }),
    )
    const client = createTestClient(app)
    const first = await client.post('/visit')
    const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
    expect(await (await client.post('/visit', { headers: { cookie } })).json()).toEqual({ visits: 2 })

    const store = app.resolve(SessionStore) as RedisSessionStore
    const keys = await store.client.keys(`${prefix}*`)
    expect(keys).toHaveLength(1)
    const ttl = await store.client.pttl(keys[0]!)
    expect(ttl).toBeGreaterThan(50_000)
    expect(ttl).toBeLessThanOrEqual(60_000)
    await store.client.del(...keys)
    await app.close()
    expect(store.client.status).toBe('end')
  })
})
