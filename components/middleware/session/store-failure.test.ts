import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, defineConfig, DovetailError, Logger, SessionStore, type SessionData } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware, type SessionOptions } from 'dovetailjs/components/middleware/session'
import { MemorySessionStore } from 'dovetailjs/components/session-store/memory'

const secret = 'store-failure-secret-0123456789-abcdefgh'

type Failure = 'up' | 'reject' | 'hang'

/** The memory store, with a switch per operation: answer, reject as a driver would, or never answer. */
class FlakyStore extends MemorySessionStore {
  override readonly name = 'test/flaky (Flaky at 10.0.0.9:1)'
  failing: Record<'get' | 'set' | 'destroy', Failure> = { get: 'up', set: 'up', destroy: 'up' }
  calls = { get: 0, set: 0, destroy: 0 }

  down(failure: Failure = 'reject'): void {
    this.failing = { get: failure, set: failure, destroy: failure }
  }

  #fail(op: 'get' | 'set' | 'destroy'): Promise<never> | undefined {
    this.calls[op]++
    const failure = this.failing[op]
    if (failure === 'reject') return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.9:1'), { code: 'ECONNREFUSED' }))
    if (failure === 'hang') return new Promise<never>(() => {})
    return undefined
  }

  override get(id: string) {
    return this.#fail('get') ?? super.get(id)
  }
  override set(id: string, data: SessionData, ttl: number) {
    return this.#fail('set') ?? super.set(id, data, ttl)
  }
  override destroy(id: string) {
    return this.#fail('destroy') ?? super.destroy(id)
  }
}

interface Line {
  level: string
  fields: Record<string, unknown>
  message: string
}

async function makeApp(store: SessionStore, options: Partial<SessionOptions> = {}) {
  const lines: Line[] = []
  const at = (level: string) => (a: object | string, b?: string) =>
    void lines.push(typeof a === 'string' ? { level, fields: {}, message: a } : { level, fields: a as Record<string, unknown>, message: b ?? '' })
  const logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger }
  /** What each handler saw under 'user' (null: an empty session). */
  const seen: (string | null)[] = []
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: {
        'session-store': defineComponent({ name: 'test/flaky', slot: 'session-store', contract: '^1.1', register: (c) => void c.value(SessionStore, store) })(),
        middleware: [sessionMiddleware({ secrets: [secret], ...options })],
      },
      register: (c) => void c.value(Logger, logger),
      routes(r) {
        r.post('/login', async (ctx) => {
          const s = await session(ctx)
          s.regenerate()
          s.set('user', 'ada')
          return ctx.text('welcome')
        })
        r.get('/me', async (ctx) => {
          const user = (await session(ctx)).get('user') as string | undefined
          seen.push(user ?? null)
          return ctx.text(`hello ${user ?? 'stranger'}`)
        })
        r.post('/note/:text', async (ctx) => {
          const s = await session(ctx)
          seen.push((s.get('user') as string | undefined) ?? null)
          s.set('note', ctx.params.text)
          return ctx.text('saved')
        })
        r.post('/logout', async (ctx) => {
          ;(await session(ctx)).destroy()
          return ctx.text('logged out')
        })
        // Decides for itself what to show when sessions are down.
        r.get('/public', async (ctx) => {
          try {
            return ctx.text(`hello ${(await session(ctx)).get('user') ?? 'stranger'}`)
          } catch {
            return ctx.text('hello (accounts are unavailable right now)')
          }
        })
      },
    }),
  )
  return { client: createTestClient(app), lines, seen }
}

const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!

function expect503(res: Response, retryAfter = '5'): void {
  expect(res.status).toBe(503)
  expect(res.headers.get('retry-after')).toBe(retryAfter)
  expect(res.headers.getSetCookie()).toEqual([])
}

describe('middleware/session when the store fails', () => {
  it('answers a read with 503 and Retry-After, and the handler never runs with an empty session', async () => {
    const store = new FlakyStore()
    const { client, seen } = await makeApp(store)
    const cookie = cookieOf(await client.post('/login'))
    store.down()
    const res = await client.get('/me', { headers: { cookie } })
    expect503(res)
    expect(await res.text()).not.toContain('stranger')
    expect(seen).toEqual([])
  })

  it('answers 503 after store.timeout when the store never answers', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store, { store: { timeout: 200, retryAfter: 2 } })
    const cookie = cookieOf(await client.post('/login'))
    store.down('hang')
    const started = performance.now()
    expect503(await client.get('/me', { headers: { cookie } }), '2')
    expect(performance.now() - started).toBeGreaterThanOrEqual(190)
    expect(performance.now() - started).toBeLessThan(1_500)
  })

  it('answers a write it could not save with 503, not the handler’s response, and sets no cookie', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store)
    const cookie = cookieOf(await client.post('/login'))
    store.failing.set = 'reject'
    const res = await client.post('/note/remember', { headers: { cookie } })
    expect503(res)
    expect(await res.text()).not.toContain('saved')
    store.failing.set = 'up'
    expect((await client.post('/note/again', { headers: { cookie } })).status).toBe(200)
  })

  it('answers a new visitor’s first write with 503 when it can’t be saved, and gives no cookie for it', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store)
    store.failing.set = 'reject'
    expect503(await client.post('/login'))
    expect(store.size).toBe(0)
  })

  it('answers a logout it could not carry out with 503 and keeps the cookie, so the session is not left alive behind a "logged out"', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store)
    const cookie = cookieOf(await client.post('/login'))
    store.failing.destroy = 'reject'
    const res = await client.post('/logout', { headers: { cookie } })
    expect503(res)
    expect(await res.text()).not.toContain('logged out')
    expect(await (await client.get('/me', { headers: { cookie } })).text()).toBe('hello ada')
    store.failing.destroy = 'up'
    const retried = await client.post('/logout', { headers: { cookie } })
    expect(retried.headers.getSetCookie()[0]).toMatch(/^sid=; .*Max-Age=0/)
    expect(await (await client.get('/me', { headers: { cookie } })).text()).toBe('hello stranger')
  })

  it('answers a login that could not retire the old session with 503 and saves nothing', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store)
    const visitor = cookieOf(await client.post('/note/hi'))
    store.failing.destroy = 'reject'
    expect503(await client.post('/login', { headers: { cookie: visitor } }))
    expect(store.calls.set).toBe(1)
  })

  it('lets a handler that catches the failure answer for itself, and saves nothing', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store)
    const cookie = cookieOf(await client.post('/login'))
    store.down()
    const res = await client.get('/public', { headers: { cookie } })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('hello (accounts are unavailable right now)')
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('logs the outage once at warn naming the store, and once at info when it answers again, with no error lines', async () => {
    const store = new FlakyStore()
    const { client, lines } = await makeApp(store)
    const cookie = cookieOf(await client.post('/login'))
    store.down()
    for (let i = 0; i < 5; i++) expect503(await client.get('/me', { headers: { cookie } }))
    store.down('up')
    expect((await client.get('/me', { headers: { cookie } })).status).toBe(200)

    const own = lines.filter((l) => l.fields.component === 'middleware/session' && l.level !== 'debug')
    expect(own.map((l) => l.level)).toEqual(['warn', 'info'])
    expect(own[0]!.fields).toMatchObject({ service: 'test/flaky (Flaky at 10.0.0.9:1)', operation: 'get', reason: 'connect ECONNREFUSED 10.0.0.9:1', retryAfter: 5 })
    expect(lines.filter((l) => l.level === 'error')).toEqual([])
  })

  it('while one request finds out whether a silent store is back, the others get their 503 at once', async () => {
    const store = new FlakyStore()
    const { client } = await makeApp(store, { store: { timeout: 1_000, retryAfter: 5 } })
    const cookie = cookieOf(await client.post('/login'))
    store.down('hang')
    expect503(await client.get('/me', { headers: { cookie } }))
    const started = performance.now()
    const times = await Promise.all(Array.from({ length: 5 }, () => client.get('/me', { headers: { cookie } }).then((res) => (expect503(res), performance.now() - started))))
    times.sort((a, b) => a - b)
    expect(times[3]!).toBeLessThan(500)
    expect(times[4]!).toBeGreaterThanOrEqual(990)
    // The first failed read, then one for the five.
    expect(store.calls.get).toBe(2)
  })

  it('keeps a value the store refuses (a DovetailError) a 500: that is the app’s bug, not an outage', async () => {
    const store = new FlakyStore()
    store.set = async () => {
      throw new DovetailError('DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE', 'not JSON')
    }
    const { client, lines } = await makeApp(store)
    expect((await client.post('/note/x')).status).toBe(500)
    expect(lines.filter((l) => l.level === 'warn')).toEqual([])
  })

  it('refuses a store.timeout or store.retryAfter that is not a whole number at startup, naming the option', async () => {
    await expect(makeApp(new FlakyStore(), { store: { timeout: 0 } })).rejects.toThrow(/option 'store.timeout'/)
    await expect(makeApp(new FlakyStore(), { store: { retryAfter: 1.5 } })).rejects.toThrow(/option 'store.retryAfter'/)
  })
})
