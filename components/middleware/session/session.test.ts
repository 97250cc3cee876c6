import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, defineConfig, DovetailError, Logger, SessionStore, type SessionData } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware, unsign, type SessionOptions } from 'dovetailjs/components/middleware/session'
import { cookieStore } from 'dovetailjs/components/session-store/cookie'
import { memoryStore, MemorySessionStore } from 'dovetailjs/components/session-store/memory'
import { node } from 'dovetailjs/components/server/node'

const OLD = 'old-secret-0123456789-0123456789-abcdef'
const NEW = 'new-secret-9876543210-9876543210-fedcba'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The real memory store, with a count of the writes the middleware makes. */
class CountingStore extends MemorySessionStore {
  writes = 0
  destroys = 0
  override async set(id: string, data: SessionData, ttl: number): Promise<void> {
    this.writes++
    return super.set(id, data, ttl)
  }
  override async destroy(id: string): Promise<void> {
    this.destroys++
    return super.destroy(id)
  }
}

const storeComponent = (store: SessionStore) =>
  defineComponent({ name: 'test/session-store', slot: 'session-store', contract: '^1.0', register: (c) => void c.value(SessionStore, store) })()

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger }

async function makeApp(store: SessionStore | 'cookie', options: Partial<SessionOptions> = {}) {
  return createApp(
    defineConfig({
      environment: 'test',
      components: {
        'session-store': store === 'cookie' ? cookieStore() : storeComponent(store),
        middleware: [sessionMiddleware({ secrets: [OLD], ...options })],
      },
      register: (c) => void c.value(Logger, quietLogger),
      routes(r) {
        r.get('/read', async (ctx) => ctx.json((await session(ctx)).toJSON()))
        r.post('/set/:key/:value', async (ctx) => {
          ;(await session(ctx)).set(ctx.params.key!, ctx.params.value)
          return ctx.text('ok')
        })
        r.post('/login', async (ctx) => {
          const s = await session(ctx)
          s.regenerate()
          s.set('user', 'ada')
          return ctx.text('in')
        })
        r.post('/logout', async (ctx) => {
          ;(await session(ctx)).destroy()
          return ctx.text('out')
        })
        r.get('/untouched', (ctx) => ctx.text('no session here'))
        r.post('/redirect', async (ctx) => {
          ;(await session(ctx)).set('flash', 'saved')
          return Response.redirect('http://localhost/read', 303)
        })
        r.post('/fail', async (ctx) => {
          ;(await session(ctx)).set('half', 'done')
          throw new Error('boom')
        })
        r.post('/slow/:key', async (ctx) => {
          const s = await session(ctx)
          await sleep(50)
          s.set(ctx.params.key!, true)
          return ctx.text('ok')
        })
        r.post('/big', async (ctx) => {
          ;(await session(ctx)).set('big', 'x'.repeat(10_000))
          return ctx.text('ok')
        })
      },
    }),
  )
}

/** `name=value` from a response's Set-Cookie, for the next request's Cookie header. */
const cookieOf = (res: Response): string => {
  const [header] = res.headers.getSetCookie()
  if (!header) throw new Error('no Set-Cookie in the response')
  return header.split(';')[0]!
}
const valueOf = (cookie: string) => cookie.slice(cookie.indexOf('=') + 1)

describe('middleware/session', () => {
  describe('the cookie', () => {
    it('is HttpOnly, SameSite=Lax, Path=/ and persistent, without Secure over http', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const res = await client.post('/set/a/1')
      const [header] = res.headers.getSetCookie()
      expect(header).toMatch(/^sid=[\w-]+\.[\w-]{43}; /)
      expect(header).toContain('; Path=/')
      expect(header).toContain('; HttpOnly')
      expect(header).toContain('; SameSite=Lax')
      expect(header).toMatch(/; Max-Age=604800; Expires=/)
      expect(header).not.toContain('Secure')
    })

    it('is Secure when the request came over https', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()), 'https://shop.example')
      const [header] = (await client.post('/set/a/1')).headers.getSetCookie()
      expect(header).toContain('; Secure')
    })

    it('is Secure behind a TLS proxy when the node server trusts X-Forwarded-Proto', async () => {
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { server: node({ trustProxy: true }), 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets: [OLD] })] },
          register: (c) => void c.value(Logger, quietLogger),
          routes: (r) =>
            r.post('/set', async (ctx) => {
              ;(await session(ctx)).set('a', 1)
              return ctx.text('ok')
            }),
        }),
      )
      const server = await app.listen({ port: 0 })
      try {
        const proxied = await fetch(`${server.url}/set`, { method: 'POST', headers: { 'x-forwarded-proto': 'https' } })
        expect(proxied.headers.getSetCookie()[0]).toContain('; Secure')
        const direct = await fetch(`${server.url}/set`, { method: 'POST' })
        expect(direct.headers.getSetCookie()[0]).not.toContain('Secure')
      } finally {
        await app.close()
      }
    })

    it('takes its name, path, domain and SameSite from the options', async () => {
      const app = await makeApp(new MemorySessionStore(), {
        cookie: { name: 'shop_sid', path: '/', domain: 'shop.example', sameSite: 'strict', persistent: false },
      })
      const [header] = (await createTestClient(app).post('/set/a/1')).headers.getSetCookie()
      expect(header).toMatch(/^shop_sid=/)
      expect(header).toContain('; Domain=shop.example')
      expect(header).toContain('; SameSite=Strict')
      expect(header).not.toContain('Max-Age')
    })

    it.each([
      ['path', { path: '/; Domain=evil.example' }, 'cookie.path'],
      ['path', { path: '/app\r\nSet-Cookie: x=1' }, 'cookie.path'],
      ['path', { path: '/app\n' }, 'cookie.path'],
      ['path', { path: '/café' }, 'cookie.path'],
      ['domain', { domain: 'shop.example; Secure' }, 'cookie.domain'],
      ['domain', { domain: 'shop.example\r\nX-Evil: 1' }, 'cookie.domain'],
      ['domain', { domain: 'shop.example\n' }, 'cookie.domain'],
      ['domain', { domain: 'shop example' }, 'cookie.domain'],
      ['name', { name: 'sid;x' }, 'cookie.name'],
      ['name', { name: 'sid\r\n' }, 'cookie.name'],
      ['sameSite', { sameSite: 'lax; Domain=evil.example' }, 'cookie.sameSite'],
    ])('refuses a cookie %s that could inject attributes or headers (%j) at startup, naming the option', async (_, cookie, path) => {
      const error = await makeApp(new MemorySessionStore(), { cookie: cookie as never }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
      expect((error as Error).message).toContain('middleware/session')
      expect((error as Error).message).toContain(`option '${path}'`)
    })

    it('accepts ordinary paths and domains', async () => {
      for (const cookie of [{ path: '/shop/a-b_c.d~e%20f', domain: '.shop.example' }, { path: '/', domain: 'localhost' }, { domain: 'xn--caf-dma.example' }]) {
        const [header] = (await createTestClient(await makeApp(new MemorySessionStore(), { cookie })).post('/set/a/1')).headers.getSetCookie()
        expect(header).toContain(`; Domain=${cookie.domain}`)
      }
    })

    it('refuses SameSite=None without Secure at startup', async () => {
      await expect(makeApp(new MemorySessionStore(), { cookie: { sameSite: 'none', secure: false } })).rejects.toThrow(/option 'cookie': sameSite 'none' needs a Secure cookie/)
    })
  })

  describe('writing only what changed', () => {
    it('sends no Set-Cookie and writes nothing when the session was only read', async () => {
      const store = new CountingStore()
      const client = createTestClient(await makeApp(store))
      const cookie = cookieOf(await client.post('/set/a/1'))
      expect(store.writes).toBe(1)
      const res = await client.get('/read', { headers: { cookie } })
      expect(await res.json()).toEqual({ a: '1' })
      expect(res.headers.getSetCookie()).toEqual([])
      expect(store.writes).toBe(1)
    })

    it('sends no cookie to a visitor whose session was never used', async () => {
      const store = new CountingStore()
      const client = createTestClient(await makeApp(store))
      expect((await client.get('/read')).headers.getSetCookie()).toEqual([])
      expect((await client.get('/untouched')).headers.getSetCookie()).toEqual([])
      expect(store.writes).toBe(0)
    })

    it('writes a changed session back under the same id, without a new cookie', async () => {
      const store = new CountingStore()
      const client = createTestClient(await makeApp(store))
      const cookie = cookieOf(await client.post('/set/a/1'))
      const res = await client.post('/set/b/2', { headers: { cookie } })
      expect(res.headers.getSetCookie()).toEqual([])
      expect(store.writes).toBe(2)
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ a: '1', b: '2' })
    })

    it('saves nothing when the handler throws', async () => {
      const store = new CountingStore()
      const client = createTestClient(await makeApp(store))
      const res = await client.post('/fail')
      expect(res.status).toBe(500)
      expect(res.headers.getSetCookie()).toEqual([])
      expect(store.writes).toBe(0)
    })
  })

  describe('a cookie it did not issue', () => {
    it('ignores a tampered signature and starts a fresh, empty session', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const cookie = cookieOf(await client.post('/set/user/ada'))
      const tampered = cookie.slice(0, -2) + (cookie.endsWith('AA') ? 'BB' : 'AA')
      // The genuine cookie first, so the tampered one comes after a verified one (which the middleware remembers).
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ user: 'ada' })
      expect(await (await client.get('/read', { headers: { cookie: tampered } })).json()).toEqual({})
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ user: 'ada' })
    })

    // Found by test/fuzz/cookies.fuzz.test.ts: the signature used to be base64url-decoded before the
    // comparison, and decoding skips characters outside the alphabet and the last character's spare bits.
    it('ignores the signature written any other way than the app wrote it (a space, padding, another last letter)', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const cookie = cookieOf(await client.post('/set/user/ada'))
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ user: 'ada' })
      const dot = cookie.lastIndexOf('.')
      // The last of 43 base64url characters carries 4 of the MAC's bits and 2 spare ones: flipping a spare bit
      // gives another letter that decodes to the same MAC.
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
      const sameBits = alphabet[alphabet.indexOf(cookie.at(-1)!) ^ 1]!
      for (const variant of [`${cookie.slice(0, dot + 1)} ${cookie.slice(dot + 1)}`, `${cookie}=`, `${cookie.slice(0, -1)}${sameBits}`]) {
        expect(await (await client.get('/read', { headers: { cookie: variant } })).json()).toEqual({})
      }
    })

    it('ignores an id swapped under a valid signature', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const [, sig] = valueOf(cookieOf(await client.post('/set/user/ada'))).split('.')
      const other = valueOf(cookieOf(await client.post('/set/user/eve'))).split('.')[0]
      expect(await (await client.get('/read', { headers: { cookie: `sid=${other}.${sig}` } })).json()).toEqual({})
    })

    it('never adopts an id the client offers, even with a valid signature', async () => {
      const app = await makeApp(new MemorySessionStore())
      const client = createTestClient(app)
      // A planted id, signed with the right secret (as if leaked), that the store has never seen.
      const planted = 'planted-id-planted-id-planted-id-planted-id'
      const { sign } = await import('dovetailjs/components/middleware/session')
      const res = await client.post('/set/a/1', { headers: { cookie: `sid=${sign(planted, OLD)}` } })
      expect(unsign(valueOf(cookieOf(res)), [OLD])!.value).not.toBe(planted)
    })
  })

  describe('key rotation', () => {
    it('accepts a cookie signed with an older secret and re-signs it with the newest', async () => {
      const store = new MemorySessionStore()
      const before = createTestClient(await makeApp(store, { secrets: [OLD] }))
      const oldCookie = cookieOf(await before.post('/set/user/ada'))

      const after = createTestClient(await makeApp(store, { secrets: [NEW, OLD] }))
      const res = await after.get('/read', { headers: { cookie: oldCookie } })
      expect(await res.json()).toEqual({ user: 'ada' })
      const renewed = cookieOf(res)
      expect(unsign(valueOf(renewed), [NEW])?.value).toBe(unsign(valueOf(oldCookie), [OLD])?.value)

      // Once every cookie is re-signed, the old secret can go.
      const retired = createTestClient(await makeApp(store, { secrets: [NEW] }))
      expect(await (await retired.get('/read', { headers: { cookie: renewed } })).json()).toEqual({ user: 'ada' })
      expect(await (await retired.get('/read', { headers: { cookie: oldCookie } })).json()).toEqual({})
    })

    it('refuses a secret shorter than 32 characters at startup, naming the option', async () => {
      const error = await makeApp(new MemorySessionStore(), { secrets: ['too-short'] }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
      expect((error as Error).message).toContain("middleware/session")
      expect((error as Error).message).toContain("option 'secrets[0]': each session secret must be at least 32 characters")
    })
  })

  describe('regenerate and destroy', () => {
    it('regenerate gives a new id, keeps the values, and the old id no longer loads', async () => {
      const store = new CountingStore()
      const client = createTestClient(await makeApp(store))
      const before = cookieOf(await client.post('/set/cart/3'))
      const after = cookieOf(await client.post('/login', { headers: { cookie: before } }))
      expect(unsign(valueOf(after), [OLD])!.value).not.toBe(unsign(valueOf(before), [OLD])!.value)
      expect(await (await client.get('/read', { headers: { cookie: after } })).json()).toEqual({ cart: '3', user: 'ada' })
      expect(await (await client.get('/read', { headers: { cookie: before } })).json()).toEqual({})
      expect(store.destroys).toBe(1)
    })

    it('destroy clears the cookie and forgets the session', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const cookie = cookieOf(await client.post('/login'))
      const res = await client.post('/logout', { headers: { cookie } })
      expect(res.headers.getSetCookie()[0]).toMatch(/^sid=; Path=\/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax$/)
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({})
    })

    it('a request still running when another destroys the session does not bring it back', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const cookie = cookieOf(await client.post('/login'))
      const slow = client.post('/slow/late', { headers: { cookie } })
      await sleep(10)
      await client.post('/logout', { headers: { cookie } })
      await slow
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({})
    })
  })

  describe('data safety', () => {
    it('has written the store before the response is returned', async () => {
      const inner = new MemorySessionStore()
      const slowStore: SessionStore = {
        get: (id) => inner.get(id),
        set: async (id, data, ttl) => {
          await sleep(30)
          await inner.set(id, data, ttl)
        },
        destroy: (id) => inner.destroy(id),
      }
      const client = createTestClient(await makeApp(slowStore))
      const id = unsign(valueOf(cookieOf(await client.post('/set/order/42'))), [OLD])!.value
      expect(((await inner.get(id)) as { data: unknown }).data).toEqual({ order: '42' })
    })

    it('keeps the changes of two concurrent requests of one session to different keys', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const cookie = cookieOf(await client.post('/set/a/1'))
      await Promise.all([client.post('/slow/x', { headers: { cookie } }), client.post('/slow/y', { headers: { cookie } })])
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ a: '1', x: true, y: true })
    })

    it('sets the cookie on a response whose headers are immutable (Response.redirect)', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore()))
      const res = await client.post('/redirect')
      expect(res.status).toBe(303)
      expect(await (await client.get('/read', { headers: { cookie: cookieOf(res) } })).json()).toEqual({ flash: 'saved' })
    })
  })

  describe('expiry', () => {
    it('ends a session after the idle timeout', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore(), { idleTimeout: 400 }))
      const cookie = cookieOf(await client.post('/set/a/1'))
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ a: '1' })
      await sleep(700)
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({})
    })

    it('ends a session after the absolute timeout, however active', async () => {
      const client = createTestClient(await makeApp(new MemorySessionStore(), { idleTimeout: 60_000, absoluteTimeout: 600 }))
      const cookie = cookieOf(await client.post('/set/a/1'))
      for (let i = 0; i < 3; i++) {
        await sleep(150)
        await client.post(`/set/n/${i}`, { headers: { cookie } })
      }
      await sleep(400)
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({})
    })
  })

  describe('with the cookie store', () => {
    it('keeps the session in the cookie, encrypted', async () => {
      const client = createTestClient(await makeApp('cookie'))
      const cookie = cookieOf(await client.post('/set/user/ada'))
      expect(cookie).not.toContain('ada')
      expect(await (await client.get('/read', { headers: { cookie } })).json()).toEqual({ user: 'ada' })
    })

    it('answers a session too large for a cookie with a 500 and a clear logged error', async () => {
      const logged: unknown[][] = []
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { 'session-store': cookieStore(), middleware: [sessionMiddleware({ secrets: [OLD] })] },
          register: (c) => void c.value(Logger, { ...quietLogger, error: (...args: unknown[]) => void logged.push(args) }),
          routes: (r) =>
            r.post('/big', async (ctx) => {
              ;(await session(ctx)).set('big', 'x'.repeat(10_000))
              return ctx.text('ok')
            }),
        }),
      )
      const res = await createTestClient(app).post('/big')
      expect(res.status).toBe(500)
      expect(res.headers.getSetCookie()).toEqual([])
      expect(String((logged[0]![0] as { err: Error }).err.message)).toMatch(/DOVETAIL_ERR_SESSION_COOKIE_TOO_LARGE/)
    })
  })

  it('session(ctx) without the middleware fails with an error that says what to add', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        routes: (r) =>
          r.get('/', async (ctx) => {
            try {
              await session(ctx)
              return ctx.text('unexpected')
            } catch (error) {
              return ctx.text(String((error as Error).message))
            }
          }),
      }),
    )
    const text = await (await createTestClient(app).get('/')).text()
    expect(text).toContain('DOVETAIL_ERR_SESSION_NO_MIDDLEWARE')
    expect(text).toContain('components.middleware')
  })

  it('needs a component in the session-store slot', async () => {
    await expect(createApp(defineConfig({ components: { middleware: [sessionMiddleware({ secrets: [OLD] })] } }))).rejects.toThrow(
      /requires the session-store slot/,
    )
  })
})
