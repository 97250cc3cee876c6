import { randomBytes } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, type Component, createApp, defineConfig, DovetailError, Logger, Orm } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { redisStore } from 'dovetailjs/components/session-store/redis'
import { sqlStore } from 'dovetailjs/components/session-store/sql'
import { binaryAvailable } from '../support/binaries.js'
import { type FaultProxy, faultProxy } from '../support/fault-proxy.js'
import { type PrivateRedis, privateRedis } from '../support/private-redis.js'
import { services, serviceAvailable } from '../support/services.js'

// Availability of sessions: when the session store is down, refused, not answering or cut off
// mid-request, a request that needs its session is answered 503 with Retry-After within the
// documented bound; it never runs as an anonymous visitor, nothing it wrote is claimed saved,
// a logout is not claimed done, and the same cookie is logged in again once the store is back.
//
// The documented bounds, with the defaults: a store whose connection is refused or closes fails
// at once; Redis (session-store/redis) that does not answer fails after its commandTimeout (1 s);
// any store (here SQL on PostgreSQL, whose ORM sets no query timeout) after the session
// middleware's store.timeout (3 s). Timings get SLACK on top, for a machine busy with other suites.

const SLACK = 1_500
/** A refused or closed connection: "at once", here well under a second. */
const AT_ONCE = 1_000
/** Redis not answering: the redis store's commandTimeout. */
const REDIS_BOUND = 1_000
const STORE_TIMEOUT_BOUND = 3_000
const RETRY_AFTER = '5'
const secrets = ['availability-sessions-secret-0123456789-abcdef']

interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  fields: Record<string, unknown>
  message: string
}

function recordingLogger(): Logger & { lines: LogLine[] } {
  const lines: LogLine[] = []
  const at =
    (level: LogLine['level']) =>
    (a: object | string, b?: string): void =>
      void lines.push(typeof a === 'string' ? { level, fields: {}, message: a } : { level, fields: a as Record<string, unknown>, message: b ?? '' })
  const logger = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger }
  return logger
}

/** An app with a login, a page that shows who is logged in, a cart to write to, and a logout. */
interface Rig {
  app: App
  client: ReturnType<typeof createTestClient>
  log: ReturnType<typeof recordingLogger>
  /** Who each handler saw, in order: a user name, or null for an anonymous session. */
  seen: (string | null)[]
  /** While set, POST /cart waits for it after changing the session, before answering. */
  hold: { until?: Promise<void>; entered?: () => void }
}

const open: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of open.splice(0).reverse()) await close()
})

async function rig(store: Component, extra: Record<string, Component> = {}): Promise<Rig> {
  const log = recordingLogger()
  const seen: (string | null)[] = []
  const hold: Rig['hold'] = {}
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { ...extra, 'session-store': store, middleware: [sessionMiddleware({ secrets })] },
      register: (c) => void c.value(Logger, log),
      routes(r) {
        r.post('/login', async (ctx) => {
          const s = await session<{ user: string; cart: string[] }>(ctx)
          s.regenerate()
          s.set('user', 'ada')
          s.set('cart', [])
          return ctx.text('welcome')
        })
        r.get('/me', async (ctx) => {
          const s = await session<{ user: string; cart: string[] }>(ctx)
          seen.push(s.get('user') ?? null)
          return ctx.json({ user: s.get('user') ?? null, cart: s.get('cart') ?? [] })
        })
        r.post('/cart/:item', async (ctx) => {
          const s = await session<{ user: string; cart: string[] }>(ctx)
          seen.push(s.get('user') ?? null)
          s.set('cart', [...(s.get('cart') ?? []), ctx.params.item!])
          hold.entered?.()
          if (hold.until) await hold.until
          return ctx.text('added')
        })
        r.post('/logout', async (ctx) => {
          const s = await session(ctx)
          seen.push((s.get('user') as string | undefined) ?? null)
          s.destroy()
          return ctx.text('bye')
        })
      },
    }),
  )
  open.push(() => app.close())
  return { app, client: createTestClient(app), log, seen, hold }
}

/** The session cookie a response set, as a Cookie header. */
const cookieOf = (res: Response): string => res.headers.getSetCookie()[0]!.split(';')[0]!

async function loggedIn(r: Rig): Promise<string> {
  const cookie = cookieOf(await r.client.post('/login'))
  expect((await r.client.post('/cart/apple', { headers: { cookie } })).status).toBe(200)
  return cookie
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await work()
  return { value, ms: performance.now() - started }
}

/** A 503 that tells the client when to come back, and sets or clears no cookie. */
function expectUnavailable(res: Response): void {
  expect(res.status).toBe(503)
  expect(res.headers.get('retry-after')).toBe(RETRY_AFTER)
  expect(res.headers.getSetCookie()).toEqual([])
}

/** Poll until the cookie is logged in again; how long it took. */
async function recovery(r: Rig, cookie: string, ms = 20_000): Promise<{ ms: number; body: { user: string | null; cart: string[] } }> {
  const started = performance.now()
  for (;;) {
    const res = await r.client.get('/me', { headers: { cookie } })
    if (res.status === 200) return { ms: performance.now() - started, body: (await res.json()) as { user: string | null; cart: string[] } }
    expect(res.status).toBe(503)
    if (performance.now() - started > ms) throw new Error(`still 503 after ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

interface Fault {
  /** Take the store's service away. */
  break(): unknown
  /** Give it back. */
  mend(): unknown
  /** The documented time to the first 503. */
  bound: number
  /** How the session middleware names the service in its one warning. */
  service: RegExp
}

/**
 * The whole outage as a user lives it: logged in with an apple in the cart, the store goes
 * away; reading, adding to the cart and logging out each get a 503 in bounded time, and
 * the handlers never saw an anonymous session; the store comes back and the same cookie is
 * logged in with the cart it had, and can write and log out again.
 */
async function outage(r: Rig, fault: Fault): Promise<{ firstMs: number; recoverMs: number }> {
  const cookie = await loggedIn(r)
  await fault.break()

  const first = await timed(() => r.client.get('/me', { headers: { cookie } }))
  expectUnavailable(first.value)
  expect(first.ms).toBeLessThan(fault.bound + SLACK)
  expectUnavailable(await r.client.post('/cart/pear', { headers: { cookie } }))
  // The logout is not claimed, and the cookie is kept: the session still exists server-side.
  expectUnavailable(await r.client.post('/logout', { headers: { cookie } }))

  await fault.mend()
  const back = await recovery(r, cookie)
  // The 503'd write never reached the store (its read failed first); what was stored before is intact.
  expect(back.body).toEqual({ user: 'ada', cart: ['apple'] })
  expect((await r.client.post('/cart/pear', { headers: { cookie } })).status).toBe(200)
  expect(await (await r.client.get('/me', { headers: { cookie } })).json()).toEqual({ user: 'ada', cart: ['apple', 'pear'] })
  // Every handler that ran saw the logged-in user: none ran with an empty session.
  expect(r.seen.length).toBeGreaterThan(0)
  expect(r.seen.every((user) => user === 'ada')).toBe(true)

  // Logged once at warn, naming the service; once at info when it answered again; no error stacks.
  const warnings = r.log.lines.filter((l) => l.level === 'warn' && l.fields.component === 'middleware/session')
  expect(warnings).toHaveLength(1)
  expect(String(warnings[0]!.fields.service)).toMatch(fault.service)
  expect(r.log.lines.filter((l) => l.level === 'info' && l.fields.component === 'middleware/session' && l.message.includes('answers again'))).toHaveLength(1)
  expect(r.log.lines.filter((l) => l.level === 'error')).toEqual([])

  const logout = await r.client.post('/logout', { headers: { cookie } })
  expect(logout.headers.getSetCookie()[0]).toMatch(/^sid=; .*Max-Age=0/)
  return { firstMs: first.ms, recoverMs: back.ms }
}

/**
 * Cut off in the middle of a request, while the middleware is saving what the handler wrote:
 * the response is a 503 right away (not after a timeout), claims nothing, and after recovery
 * the cart holds either the write or not, never anything else.
 */
async function cutWhileSaving(r: Rig, proxy: FaultProxy, bound: number): Promise<number> {
  const cookie = await loggedIn(r)
  let release!: () => void
  r.hold.until = new Promise<void>((resolve) => (release = resolve))
  const entered = new Promise<void>((resolve) => (r.hold.entered = resolve))
  const pending = r.client.post('/cart/pear', { headers: { cookie } })
  await entered
  // The session was read; the save's store calls will hang until the cut.
  proxy.setMode('blackhole')
  release()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const cut = performance.now()
  proxy.setMode('refuse')
  proxy.cut()
  const res = await pending
  const ms = performance.now() - cut
  expectUnavailable(res)
  expect(await res.text()).not.toContain('added')
  expect(ms).toBeLessThan(bound)

  r.hold.until = undefined
  proxy.setMode('pass')
  const back = await recovery(r, cookie)
  expect(back.body.user).toBe('ada')
  expect([['apple'], ['apple', 'pear']]).toContainEqual(back.body.cart)
  expect(r.seen.every((user) => user === 'ada')).toBe(true)
  return ms
}

describe.skipIf(!(await serviceAvailable('redis')))('sessions on Redis when Redis goes away', () => {
  const prefix = () => `test:avail:${randomBytes(6).toString('hex')}:`
  const throughProxy = async () => {
    const proxy = await faultProxy(services.redis)
    open.push(() => proxy.close())
    return { proxy, r: await rig(redisStore({ url: `redis://127.0.0.1:${proxy.port}`, prefix: prefix() })) }
  }
  const redisService = /^session-store\/redis \(Redis at 127\.0\.0\.1:\d+\)$/

  it('refusing connections: 503 with Retry-After at once, never anonymous, logged in again once back', async () => {
    const { proxy, r } = await throughProxy()
    await outage(r, {
      break: () => {
        proxy.setMode('refuse')
        proxy.cut()
      },
      mend: () => proxy.setMode('pass'),
      bound: AT_ONCE,
      service: redisService,
    })
  })

  it('not answering (blackholed): 503 with Retry-After within commandTimeout, never anonymous, logged in again once back', async () => {
    const { proxy, r } = await throughProxy()
    await outage(r, {
      break: () => proxy.setMode('blackhole'),
      // The proxy dropped what was sent meanwhile, which TCP never does; reset those connections.
      mend: () => {
        proxy.cut()
        proxy.setMode('pass')
      },
      bound: REDIS_BOUND,
      service: redisService,
    })
  })

  it('cut while saving a write: 503 at once, the write either stored or not, never claimed', async () => {
    const { proxy, r } = await throughProxy()
    await cutWhileSaving(r, proxy, AT_ONCE)
  })

  it('after a 503 for a slow Redis, later requests fail at once instead of each waiting out the timeout', async () => {
    const { proxy, r } = await throughProxy()
    const cookie = await loggedIn(r)
    proxy.setMode('blackhole')
    expectUnavailable(await r.client.get('/me', { headers: { cookie } }))
    const next = await timed(() => r.client.get('/me', { headers: { cookie } }))
    expectUnavailable(next.value)
    expect(next.ms).toBeLessThan(REDIS_BOUND / 2)
  })

  it('closes promptly during an outage', async () => {
    const { proxy, r } = await throughProxy()
    const cookie = await loggedIn(r)
    proxy.setMode('refuse')
    proxy.cut()
    expectUnavailable(await r.client.get('/me', { headers: { cookie } }))
    const close = await timed(() => r.app.close())
    expect(close.ms).toBeLessThan(REDIS_BOUND + SLACK)
  })

  describe('refuses to start without it', () => {
    for (const mode of ['refuse', 'blackhole'] as const) {
      it(`${mode === 'refuse' ? 'refusing connections' : 'not answering'}: createApp fails with DOVETAIL_ERR_COMPONENT_START naming Redis, within connectTimeout`, async () => {
        const proxy = await faultProxy(services.redis)
        open.push(() => proxy.close())
        proxy.setMode(mode)
        const { value: error, ms } = await timed(() =>
          createApp(
            defineConfig({ environment: 'test', components: { 'session-store': redisStore({ url: `redis://127.0.0.1:${proxy.port}`, connectTimeout: 3_000 }) } }),
          ).catch((e: unknown) => e),
        )
        expect(error).toBeInstanceOf(DovetailError)
        expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_START')
        expect((error as Error).message).toContain(`session-store/redis could not connect to redis://127.0.0.1:${proxy.port}`)
        expect(ms).toBeLessThan(3_000 + SLACK)
      })
    }
  })
})

describe.skipIf(!binaryAvailable('redis-server'))('sessions on a Redis server that stops or freezes', () => {
  const ownRedis = async (): Promise<{ redis: PrivateRedis; r: Rig }> => {
    const redis = await privateRedis()
    open.push(() => redis.close())
    return { redis, r: await rig(redisStore({ url: redis.url })) }
  }
  const service = /^session-store\/redis \(Redis at 127\.0\.0\.1:\d+\)$/

  it('stopped and started again: 503 with Retry-After at once, logged in again once it is back', async () => {
    const { redis, r } = await ownRedis()
    await outage(r, { break: () => redis.stop(), mend: () => redis.start(), bound: AT_ONCE, service })
  })

  it('frozen (SIGSTOP): 503 with Retry-After within commandTimeout, logged in again once it thaws', async () => {
    const { redis, r } = await ownRedis()
    await outage(r, { break: () => redis.freeze(), mend: () => redis.thaw(), bound: REDIS_BOUND, service })
  })
})

describe.skipIf(!(await serviceAvailable('postgres')))('sessions in PostgreSQL (session-store/sql) when the database goes away', () => {
  const throughProxy = async () => {
    const proxy = await faultProxy(services.postgres)
    open.push(() => proxy.close())
    const table = `test_avail_sessions_${randomBytes(4).toString('hex')}`
    const r = await rig(sqlStore({ table, sweepInterval: 0 }), { orm: mikroOrm({ url: `postgresql://postgres@127.0.0.1:${proxy.port}/test` }) })
    // Dropped through the proxy once it passes again, before the app closes (closers run last-in first-out).
    open.push(async () => {
      // Reset what a blackhole left hanging; the pool may then hand out a reset connection or two first.
      proxy.cut()
      proxy.setMode('pass')
      const drop = () => r.app.resolve(Orm).execute(`DROP TABLE IF EXISTS ${table}`)
      await drop()
        .catch(drop)
        .catch(drop)
    })
    return { proxy, r }
  }
  const service = /^session-store\/sql \(table test_avail_sessions_[0-9a-f]+ on postgresql\)$/

  it('refusing connections: 503 with Retry-After at once, never anonymous, logged in again once back', async () => {
    const { proxy, r } = await throughProxy()
    await outage(r, {
      break: () => {
        proxy.setMode('refuse')
        proxy.cut()
      },
      mend: () => proxy.setMode('pass'),
      bound: AT_ONCE,
      service,
    })
  })

  it("not answering (blackholed): 503 with Retry-After within the session middleware's store.timeout, logged in again once back", async () => {
    const { proxy, r } = await throughProxy()
    await outage(r, {
      break: () => proxy.setMode('blackhole'),
      mend: () => {
        proxy.cut()
        proxy.setMode('pass')
      },
      bound: STORE_TIMEOUT_BOUND,
      service,
    })
  })

  it('cut while saving a write: 503 at once, the write either stored or not, never claimed', async () => {
    const { proxy, r } = await throughProxy()
    await cutWhileSaving(r, proxy, AT_ONCE)
  })

  it('not answering, with many requests at once: one waits out store.timeout to find out, the others get their 503 at once', async () => {
    const { proxy, r } = await throughProxy()
    const cookie = await loggedIn(r)
    const seenBefore = r.seen.length
    proxy.setMode('blackhole')
    expectUnavailable(await r.client.get('/me', { headers: { cookie } }))
    const started = performance.now()
    const finished: number[] = []
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => r.client.get('/me', { headers: { cookie } }).then((res) => (finished.push(performance.now() - started), res))),
    )
    for (const res of responses) expectUnavailable(res)
    finished.sort((a, b) => a - b)
    expect(finished[8]!).toBeLessThan(AT_ONCE)
    expect(finished[9]!).toBeGreaterThan(STORE_TIMEOUT_BOUND - 100)
    expect(r.seen).toHaveLength(seenBefore)
  })
})
