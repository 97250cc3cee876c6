import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, DovetailError, Logger, SessionStore, type Context } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import {
  attemptLogin,
  auth,
  currentUser,
  hashPassword,
  logout,
  requirePermission,
  requireRole,
  requireUser,
  safeRedirect,
  UserLoader,
  verifyPassword,
  type AuthOptions,
  type AuthUser,
} from 'dovetailjs/components/middleware/auth'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { redisStore, type RedisSessionStore } from 'dovetailjs/components/session-store/redis'
import { faultProxy } from '../../../test/support/fault-proxy.js'
import { services, serviceAvailable } from '../../../test/support/services.js'

const secrets = ['auth-test-secret-0123456789-0123456789-abc']
const cheap = { ln: 10, r: 8, p: 1 }

interface User extends AuthUser {
  id: string
  email: string
  passwordHash: string
  roles: string[]
  permissions: string[]
}

async function makeUsers(): Promise<Map<string, User>> {
  const users = new Map<string, User>()
  const add = async (id: string, email: string, password: string, roles: string[], permissions: string[] = []) =>
    users.set(id, { id, email, passwordHash: await hashPassword(password, cheap), roles, permissions })
  await add('1', 'ada@example.com', 'analytical', ['admin'], ['reports:read', 'reports:write'])
  await add('2', 'bob@example.com', 'builder', ['member'], ['reports:read'])
  return users
}

function quietLogger() {
  const warnings: string[] = []
  const logger = { warnings, debug() {}, info() {}, error() {}, warn: (_: unknown, msg?: string) => void warnings.push(String(msg)), child: () => logger }
  return logger
}

async function makeApp(options: Partial<AuthOptions> = {}, store = memoryStore()) {
  const users = await makeUsers()
  const logger = quietLogger()
  const byEmail = (email: string) => [...users.values()].find((u) => u.email === email)
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: {
        'session-store': store,
        middleware: [sessionMiddleware({ secrets }), auth({ loadUser: (id) => users.get(id), trustProxy: true, ...options })],
      },
      register: (c) => void c.value(Logger, logger),
      routes(r) {
        r.post('/login', async (ctx) => {
          const form = await ctx.request.formData()
          const email = String(form.get('email'))
          const user = await attemptLogin(ctx, email, async () => {
            const found = byEmail(email)
            return (await verifyPassword(String(form.get('password')), found?.passwordHash, cheap)) ? found : undefined
          })
          if (!user) return ctx.text('Wrong email or password', { status: 401 })
          return ctx.redirect(safeRedirect(ctx.query.next, '/'), 303)
        })
        r.post('/logout', async (ctx) => {
          await logout(ctx)
          return ctx.redirect('/', 303)
        })
        r.get('/', async (ctx) => ctx.json({ user: (await currentUser<User>(ctx))?.email ?? null }))
        r.get('/account', requireUser(async (ctx) => ctx.text(`account of ${(await currentUser<User>(ctx))!.email}`)))
        r.get('/admin', requireRole('admin')((ctx) => ctx.text('admin area')))
        r.get('/reports', requirePermission('reports:read')((ctx) => ctx.text('reports')))
        r.group('/staff', { use: [requireRole('admin')] }, (staff) => staff.get('/users', (ctx) => ctx.text('staff list')))
        r.post('/reports', requirePermission(['reports:read', 'reports:write'])((ctx) => ctx.text('report saved')))
        r.get('/session-id', async (ctx) => {
          const s = await session(ctx)
          s.set('seen', true)
          return ctx.text(String(s.id))
        })
      },
    }),
  )
  return { app, users, logger, client: createTestClient(app) }
}

const cookieOf = (res: Response) => res.headers.getSetCookie()[0]!.split(';')[0]!

async function signIn(client: ReturnType<typeof createTestClient>, email = 'ada@example.com', password = 'analytical', headers: Record<string, string> = {}) {
  const res = await client.post('/login', { form: { email, password }, headers })
  expect(res.status).toBe(303)
  return cookieOf(res)
}

describe('middleware/auth', () => {
  describe('login and logout', () => {
    it('signs a user in with the right password and knows them on the next request', async () => {
      const { client } = await makeApp()
      const cookie = await signIn(client)
      expect(await (await client.get('/', { headers: { cookie } })).json()).toEqual({ user: 'ada@example.com' })
    })

    it('refuses a wrong password and an unknown account alike, and signs nobody in', async () => {
      const { client } = await makeApp()
      for (const [email, password] of [['ada@example.com', 'wrong'], ['nobody@example.com', 'analytical']]) {
        const res = await client.post('/login', { form: { email: email!, password: password! } })
        expect(res.status).toBe(401)
        expect(res.headers.getSetCookie()).toEqual([])
      }
    })

    it('gives the session a new id at login, so an id from before it is worthless', async () => {
      const { client } = await makeApp()
      const first = await client.get('/session-id')
      const visitor = cookieOf(first)
      const before = await first.text()
      const res = await client.post('/login', { form: { email: 'ada@example.com', password: 'analytical' }, headers: { cookie: visitor } })
      const after = cookieOf(res)
      expect(after).not.toBe(visitor)
      expect(await (await client.get('/session-id', { headers: { cookie: after } })).text()).not.toBe(before)
      expect(await (await client.get('/', { headers: { cookie: visitor } })).json()).toEqual({ user: null })
    })

    it('signs out: the cookie is cleared and the old session no longer knows the user', async () => {
      const { client } = await makeApp()
      const cookie = await signIn(client)
      const res = await client.post('/logout', { headers: { cookie } })
      expect(res.headers.getSetCookie()[0]).toMatch(/^sid=; .*Max-Age=0/)
      expect(await (await client.get('/', { headers: { cookie } })).json()).toEqual({ user: null })
    })

    it('signs out a session whose user was deleted', async () => {
      const { client, users } = await makeApp()
      const cookie = await signIn(client, 'bob@example.com', 'builder')
      users.delete('2')
      expect(await (await client.get('/', { headers: { cookie } })).json()).toEqual({ user: null })
    })

    it('follows ?next= after login only to a path on this site', async () => {
      const { client } = await makeApp()
      const go = async (next: string) =>
        (await client.post(`/login?next=${encodeURIComponent(next)}`, { form: { email: 'ada@example.com', password: 'analytical' } })).headers.get('location')
      expect(await go('/account?tab=2')).toBe('/account?tab=2')
      expect(await go('https://evil.example/')).toBe('/')
      expect(await go('//evil.example/')).toBe('/')
      expect(await go('/\\evil.example/')).toBe('/')
      expect(safeRedirect('/\t/evil.example')).toBe('/')
    })
  })

  describe('guards', () => {
    it('send a browser that is not signed in to the login page, with where it was going', async () => {
      const { client } = await makeApp({ loginPath: '/sign-in' })
      const res = await client.get('/account?tab=2', { headers: { accept: 'text/html,application/xhtml+xml' } })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe('/sign-in?next=%2Faccount%3Ftab%3D2')
    })

    it('answer an API client that is not signed in with a 401 and a stable code', async () => {
      const { client } = await makeApp()
      const res = await client.get('/account', { headers: { accept: 'application/json' } })
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { status: 401, code: 'DOVETAIL_ERR_AUTH_UNAUTHENTICATED' } })
    })

    it('let a signed-in user through requireUser', async () => {
      const { client } = await makeApp()
      const cookie = await signIn(client, 'bob@example.com', 'builder')
      expect(await (await client.get('/account', { headers: { cookie } })).text()).toBe('account of bob@example.com')
    })

    it('answer a signed-in user without the role with a 403, browser or not', async () => {
      const { client } = await makeApp()
      const cookie = await signIn(client, 'bob@example.com', 'builder')
      const json = await client.get('/admin', { headers: { cookie } })
      expect(json.status).toBe(403)
      expect(await json.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_AUTH_FORBIDDEN', message: "You don't have the role 'admin' this page needs." } })
      const page = await client.get('/admin', { headers: { cookie, accept: 'text/html' } })
      expect(page.status).toBe(403)
      expect(page.headers.get('content-type')).toContain('text/html')
    })

    it('let a user with the role through requireRole', async () => {
      const { client } = await makeApp()
      const cookie = await signIn(client)
      expect(await (await client.get('/admin', { headers: { cookie } })).text()).toBe('admin area')
    })

    it('need every permission listed in requirePermission', async () => {
      const { client } = await makeApp()
      const bob = await signIn(client, 'bob@example.com', 'builder')
      expect((await client.get('/reports', { headers: { cookie: bob } })).status).toBe(200)
      const write = await client.post('/reports', { headers: { cookie: bob } })
      expect(write.status).toBe(403)
      expect(((await write.json()) as { error: { message: string } }).error.message).toContain("'reports:write'")
      const ada = await signIn(client)
      expect(await (await client.post('/reports', { headers: { cookie: ada } })).text()).toBe('report saved')
    })

    it("guard a group when put in its use as they are (use: [requireRole('admin')])", async () => {
      const { client } = await makeApp()
      expect((await client.get('/staff/users')).status).toBe(401)
      const bob = await signIn(client, 'bob@example.com', 'builder')
      expect((await client.get('/staff/users', { headers: { cookie: bob } })).status).toBe(403)
      const ada = await signIn(client)
      expect(await (await client.get('/staff/users', { headers: { cookie: ada } })).text()).toBe('staff list')
    })

    it('work as middleware too (requireUser() in the app middleware)', async () => {
      const users = await makeUsers()
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), auth({ loadUser: (id) => users.get(id), trustProxy: true })] },
          middleware: [requireUser()],
          register: (c) => void c.value(Logger, quietLogger()),
          routes: (r) => r.get('/private', (ctx) => ctx.text('private')),
        }),
      )
      expect((await createTestClient(app).get('/private')).status).toBe(401)
    })
  })

  describe('login rate limiting', () => {
    it('answers 429 with Retry-After once an account has too many failures, even with the right password', async () => {
      const { client } = await makeApp({ rateLimit: { perAccount: { max: 3, window: 60_000 } } })
      for (let i = 0; i < 3; i++) expect((await client.post('/login', { form: { email: 'ada@example.com', password: `guess${i}` } })).status).toBe(401)
      const res = await client.post('/login', { form: { email: 'ADA@example.com', password: 'analytical' }, headers: { accept: 'text/html' } })
      expect(res.status).toBe(429)
      const retry = Number(res.headers.get('retry-after'))
      expect(retry).toBeGreaterThan(0)
      expect(retry).toBeLessThanOrEqual(60)
      expect(await res.text()).toContain('Too many failed sign-in attempts. Try again in a minute.')
      expect(res.headers.getSetCookie()).toEqual([])
      // Another account is not affected.
      await signIn(client, 'bob@example.com', 'builder')
    })

    it('lets the account in again once the window has passed', async () => {
      const { client } = await makeApp({ rateLimit: { perAccount: { max: 2, window: 800 } } })
      for (let i = 0; i < 2; i++) await client.post('/login', { form: { email: 'ada@example.com', password: 'nope' } })
      expect((await client.post('/login', { form: { email: 'ada@example.com', password: 'analytical' } })).status).toBe(429)
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      await signIn(client)
    })

    it('clears an account count on success', async () => {
      const { client } = await makeApp({ rateLimit: { perAccount: { max: 3, window: 60_000 } } })
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 2; i++) expect((await client.post('/login', { form: { email: 'ada@example.com', password: 'nope' } })).status).toBe(401)
        await signIn(client)
      }
    })

    it('limits one address trying many accounts (X-Forwarded-For with trustProxy)', async () => {
      const { client } = await makeApp({ rateLimit: { perAddress: { max: 4, window: 60_000 } } })
      const from = (ip: string) => ({ 'x-forwarded-for': `203.0.113.9, ${ip}` })
      for (let i = 0; i < 4; i++) await client.post('/login', { form: { email: `user${i}@example.com`, password: 'x' }, headers: from('198.51.100.7') })
      const res = await client.post('/login', { form: { email: 'ada@example.com', password: 'analytical' }, headers: from('198.51.100.7') })
      expect(res.status).toBe(429)
      expect(await res.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_AUTH_RATE_LIMITED' } })
      await signIn(client, 'ada@example.com', 'analytical', from('198.51.100.8'))
    })

    it('without trustProxy, limits by the peer address the server adapter saw', async () => {
      const { app } = await makeApp({ trustProxy: false, rateLimit: { perAddress: { max: 3, window: 60_000 } } })
      const server = await app.listen({ port: 0 })
      const post = (email: string, password: string, forwardedFor: string) =>
        fetch(`${server.url}/login`, {
          method: 'POST',
          redirect: 'manual',
          // A spoofed X-Forwarded-For must not help an attacker: it is ignored without trustProxy.
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor },
          body: new URLSearchParams({ email, password }),
        })
      for (let i = 0; i < 3; i++) expect((await post(`user${i}@example.com`, 'x', `198.51.100.${i}`)).status).toBe(401)
      expect((await post('ada@example.com', 'analytical', '198.51.100.99')).status).toBe(429)
      await app.close()
    })
  })

  describe('the user loader', () => {
    it('can come from the container, request-scoped', async () => {
      const users = await makeUsers()
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), auth({ trustProxy: true })] },
          register: (c) => void c.scoped(UserLoader, () => (id: string) => users.get(id)).value(Logger, quietLogger()),
          routes(r) {
            r.post('/login', async (ctx) => {
              await attemptLogin(ctx, 'ada', async () => users.get('1'))
              return ctx.text('in')
            })
            r.get('/', async (ctx: Context) => ctx.text(String((await currentUser<User>(ctx))?.email)))
          },
        }),
      )
      const client = createTestClient(app)
      const cookie = cookieOf(await client.post('/login'))
      expect(await (await client.get('/', { headers: { cookie } })).text()).toBe('ada@example.com')
    })

    it('is required: without loadUser or UserLoader the app does not start', async () => {
      const error = await createApp(
        defineConfig({ environment: 'test', components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), auth({ trustProxy: true })] } }),
      ).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as Error).message).toMatch(/DOVETAIL_ERR_AUTH_NO_USER_LOADER/)
      expect((error as Error).message).toContain('auth({ loadUser: (id, ctx) => ... })')
    })

    it("refuses rateLimit.store 'redis' without the Redis session store", async () => {
      await expect(makeApp({ rateLimit: { store: 'redis' } })).rejects.toThrow(/rateLimit.store 'redis'.*session-store/)
    })
  })
})

describe.skipIf(!(await serviceAvailable('redis')))('middleware/auth with failures counted in Redis', () => {
  it('shares the count between two app instances (two processes)', async () => {
    const prefix = `test:${randomBytes(6).toString('hex')}:`
    const store = () => redisStore({ url: services.redis.url, prefix })
    const one = await makeApp({ rateLimit: { store: 'redis', perAccount: { max: 3, window: 60_000 } } }, store())
    const two = await makeApp({ rateLimit: { store: 'redis', perAccount: { max: 3, window: 60_000 } } }, store())
    const email = `ada+${prefix}@example.com`
    for (const client of [one.client, two.client, one.client]) await client.post('/login', { form: { email, password: 'nope' } })
    expect((await two.client.post('/login', { form: { email, password: 'nope' } })).status).toBe(429)
    const redis = (one.app.resolve(SessionStore) as RedisSessionStore).client
    await redis.del(`dovetail:login:account:${email}`)
    expect((await two.client.post('/login', { form: { email, password: 'nope' } })).status).toBe(401)
    await redis.del(`dovetail:login:account:${email}`)
    await one.app.close()
    await two.app.close()
  })

  it('answers 503 with Retry-After to a login while Redis is down, and checks no password', async () => {
    const proxy = await faultProxy(services.redis)
    const prefix = `test:${randomBytes(6).toString('hex')}:`
    const { app, client } = await makeApp(
      { rateLimit: { store: 'redis', perAccount: { max: 3, window: 60_000 } } },
      redisStore({ url: `redis://127.0.0.1:${proxy.port}`, prefix }),
    )
    try {
      proxy.setMode('refuse')
      proxy.cut()
      const res = await client.post('/login', { form: { email: `ada+${prefix}@example.com`, password: 'secret-password' } })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).not.toBeNull()
    } finally {
      await app.close()
      await proxy.close()
    }
  })
})
