import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { recordingLogger } from '../support/recording-logger.js'

// Attacks on the session cookie: forging, fixing, replaying after logout.
// Each case says whether the request is logged in, and that no session the
// server did not create is ever adopted.

const secrets = ['security-session-secret-0123456789-0123456789']

async function makeApp(options: { secrets?: string[] } = {}) {
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets: options.secrets ?? secrets })] },
      register: (c) => void c.value(Logger, recordingLogger()),
      routes(r) {
        r.post('/login', async (ctx) => {
          const s = await session(ctx)
          await s.regenerate()
          s.set('user', 'alice')
          return ctx.text('in')
        })
        r.post('/logout', async (ctx) => {
          await (await session(ctx)).destroy()
          return ctx.text('out')
        })
        r.get('/me', async (ctx) => ctx.text(String((await session(ctx)).get('user') ?? 'anonymous')))
        r.post('/visit', async (ctx) => {
          ;(await session(ctx)).set('seen', true)
          return ctx.text('ok')
        })
      },
    }),
  )
  return { app, client: createTestClient(app) }
}

const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('sid='))?.split(';')[0]
const valueOf = (cookie: string) => cookie.slice('sid='.length)

async function loggedIn(client: ReturnType<typeof createTestClient>) {
  const cookie = cookieOf(await client.post('/login'))
  expect(cookie).toBeDefined()
  return cookie!
}

describe('sessions: forged and replayed cookies', () => {
  it('ignores a cookie whose id was changed under a valid signature', async () => {
    const { client } = await makeApp()
    const cookie = await loggedIn(client)
    const value = valueOf(cookie)
    const forged = `sid=${value[0] === 'A' ? 'B' : 'A'}${value.slice(1)}`
    const res = await client.get('/me', { headers: { cookie: forged } })
    expect(await res.text()).toBe('anonymous')
  })

  it.each([
    ['an unsigned id', 'sid=attacker-chosen-id'],
    ['an empty value', 'sid='],
    ['a value of quotes and separators', 'sid="a.b.c"'],
    ['a very long value', `sid=${'a'.repeat(4000)}`],
    ['percent-encoded garbage', 'sid=%00%ff%zz'],
  ])('treats %s as no session, and never adopts it', async (_, cookie) => {
    const { client } = await makeApp()
    const me = await client.get('/me', { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(await me.text()).toBe('anonymous')
    // A write under the forged cookie gets a new id, not the one the client chose.
    const issued = cookieOf(await client.post('/visit', { headers: { cookie } }))
    expect(issued).toBeDefined()
    expect(issued).not.toBe(cookie)
  })

  it('ignores a cookie signed with a secret the app does not have', async () => {
    const other = await makeApp({ secrets: ['another-apps-secret-0123456789-0123456789-zz'] })
    const foreign = await loggedIn(other.client)
    const { client } = await makeApp()
    expect(await (await client.get('/me', { headers: { cookie: foreign } })).text()).toBe('anonymous')
  })

  it('gives a new id at login, so a cookie fixed before login is not the logged-in one', async () => {
    const { client } = await makeApp()
    const before = cookieOf(await client.post('/visit'))!
    const after = cookieOf(await client.post('/login', { headers: { cookie: before } }))!
    expect(after).not.toBe(before)
    expect(await (await client.get('/me', { headers: { cookie: before } })).text()).toBe('anonymous')
    expect(await (await client.get('/me', { headers: { cookie: after } })).text()).toBe('alice')
  })

  it('does not log in a cookie replayed after logout', async () => {
    const { client } = await makeApp()
    const cookie = await loggedIn(client)
    await client.post('/logout', { headers: { cookie } })
    expect(await (await client.get('/me', { headers: { cookie } })).text()).toBe('anonymous')
  })

  it('sets the cookie HttpOnly, SameSite=Lax, Path=/, and Secure on https', async () => {
    const { app } = await makeApp()
    const res = await app.fetch(new Request('https://shop.example/login', { method: 'POST' }))
    const header = res.headers.getSetCookie().find((c) => c.startsWith('sid='))!
    expect(header).toMatch(/; HttpOnly/i)
    expect(header).toMatch(/; SameSite=Lax/i)
    expect(header).toMatch(/; Path=\//i)
    expect(header).toMatch(/; Secure/i)
  })

  // Browsers send one sid per matching path or domain; the first that verifies wins.
  it('keeps the genuine sid whatever forged ones come beside it', async () => {
    const { client } = await makeApp()
    const genuine = await loggedIn(client)
    for (const cookie of [`sid=forged; ${genuine}`, `${genuine}; sid=forged`, `sid=; ${genuine}; sid=x`]) {
      const res = await client.get('/me', { headers: { cookie } })
      expect(res.status).toBe(200)
      expect(await res.text()).toBe('alice')
    }
  })

})
