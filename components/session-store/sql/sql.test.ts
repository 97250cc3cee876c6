import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger, Orm, ServiceUnavailableError, SessionStore } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { sqlStore, type SqlSessionStore } from 'dovetailjs/components/session-store/sql'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-sql-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
const secrets = ['sql-store-secret-0123456789-0123456789-ab']

describe('session-store/sql', () => {
  it('keeps sessions in its table through the session middleware, with an expiry time', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: {
          orm: mikroOrm({ url: join(dir, 'app.db') }),
          'session-store': sqlStore({ table: 'sessions' }),
          middleware: [sessionMiddleware({ secrets, idleTimeout: 60_000 })],
        },
        register: (c) => void c.value(Logger, quiet),
        routes(r) {
          r.post('/cart/:item', async (ctx) => {
            const s = await session<{ cart: string[] }>(ctx)
            s.set('cart', [...(s.get('cart') ?? []), ctx.params.item!])
            return ctx.json(s.get('cart'))
          })
        },
      }),
    )
    const client = createTestClient(app)
    const cookie = (await client.post('/cart/apple')).headers.getSetCookie()[0]!.split(';')[0]!
    expect(await (await client.post('/cart/pear', { headers: { cookie } })).json()).toEqual(['apple', 'pear'])

    // Its table is its own: the ORM's schema tools and migration:create leave it alone.
    expect(app.resolve(Orm).ownedTables?.()).toEqual([{ name: 'sessions', owner: 'session-store/sql' }])
    const rows = await app.resolve(Orm).execute<{ id: string; data: string; expires: number }>('SELECT id, data, expires FROM sessions')
    expect(rows).toHaveLength(1)
    expect(JSON.parse(rows[0]!.data).data).toEqual({ cart: ['apple', 'pear'] })
    expect(Number(rows[0]!.expires) - Date.now()).toBeGreaterThan(50_000)
    await app.close()
  })

  it('sweeps expired rows out of the table', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: mikroOrm({ url: join(dir, 'sweep.db') }), 'session-store': sqlStore({ sweepInterval: 0 }) },
        register: (c) => void c.value(Logger, quiet),
      }),
    )
    const store = app.resolve(SessionStore) as SqlSessionStore
    await store.set('old', { n: 1 }, 1)
    await store.set('new', { n: 2 }, 60_000)
    await new Promise((resolve) => setTimeout(resolve, 20))
    await store.sweep()
    expect(await app.resolve(Orm).execute('SELECT id FROM dovetail_sessions')).toEqual([{ id: 'new' }])
    await app.close()
  })

  it('reports a database failure as a 503 naming the store, without quoting the statement or the session id', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: mikroOrm({ url: join(dir, 'failing.db') }), 'session-store': sqlStore({ table: 'gone', sweepInterval: 0 }) },
        register: (c) => void c.value(Logger, quiet),
      }),
    )
    await app.resolve(Orm).execute('DROP TABLE gone')
    const store = app.resolve(SessionStore)
    const error = await store.get('secret-session-id').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ServiceUnavailableError)
    expect((error as Error).message).toMatch(/^session-store\/sql \(table gone on sqlite\): the database failed \(/)
    expect((error as Error).message).not.toContain('secret-session-id')
    expect((error as Error).message).not.toContain('SELECT')
    await app.close()
  })

  it('needs a component in the orm slot', async () => {
    await expect(createApp(defineConfig({ components: { 'session-store': sqlStore() } }))).rejects.toThrow(/requires the orm slot/)
  })

  it('refuses a table name that is not a plain identifier', async () => {
    await expect(
      createApp(defineConfig({ components: { orm: mikroOrm({ url: ':memory:' }), 'session-store': sqlStore({ table: 'sessions; DROP TABLE users' }) } })),
    ).rejects.toThrow(/option 'table': table must be a plain SQL identifier/)
  })
})
