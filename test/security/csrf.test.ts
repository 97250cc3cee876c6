import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { body, readForm } from 'dovetailjs/components/middleware/body'
import { csrf, csrfToken } from 'dovetailjs/components/middleware/csrf'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { recordingLogger } from '../support/recording-logger.js'

// Forged state-changing requests, the way a hostile page or a replaying
// attacker would send them. Each is a 403, the handler never runs, and the
// store of notes stays empty.

const secrets = ['security-csrf-secret-0123456789-0123456789']

async function makeApp() {
  const notes: string[] = []
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), body(), csrf()] },
      register: (c) => void c.value(Logger, recordingLogger()),
      routes(r) {
        r.get('/token', async (ctx) => ctx.json({ token: await csrfToken(ctx) }))
        r.post('/notes', async (ctx) => {
          notes.push((await readForm(ctx)).get('text') ?? '')
          return ctx.text('saved')
        })
      },
    }),
  )
  const client = createTestClient(app)
  /** A visitor's session cookie and the token its page carries. */
  const visit = async () => {
    const res = await client.get('/token')
    return { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, token: ((await res.json()) as { token: string }).token }
  }
  return { client, notes, visit }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const formType = { 'content-type': 'application/x-www-form-urlencoded' }

describe('csrf: forged requests are refused', () => {
  it('refuses a form post with no token (403) and stores nothing', async () => {
    const { client, notes, visit } = await makeApp()
    const { cookie } = await visit()
    const res = await client.post('/notes', { body: form({ text: 'x' }), headers: { ...formType, cookie } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it('refuses a token that belongs to another session (403)', async () => {
    const { client, notes, visit } = await makeApp()
    const victim = await visit()
    const attacker = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: attacker.token, text: 'x' }), headers: { ...formType, cookie: victim.cookie } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it.each([
    ['a truncated token', (t: string) => t.slice(0, -2)],
    ['a token with one character changed', (t: string) => (t[0] === 'A' ? 'B' : 'A') + t.slice(1)],
    ['an empty token', () => ''],
    ['a very long token', (t: string) => t.repeat(500)],
  ])('refuses %s (403)', async (_, mangle) => {
    const { client, notes, visit } = await makeApp()
    const { cookie, token } = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: mangle(token), text: 'x' }), headers: { ...formType, cookie } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it.each([
    ['another site', 'https://evil.example'],
    ['an opaque origin', 'null'],
    ['the same host on another scheme', 'https://localhost'],
    ['the same host on another port', 'http://localhost:8080'],
  ])('refuses a valid token sent from %s (403)', async (_, origin) => {
    const { client, notes, visit } = await makeApp()
    const { cookie, token } = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: token, text: 'x' }), headers: { ...formType, cookie, origin } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it('refuses a cross-site Referer when Origin is absent (403)', async () => {
    const { client, notes, visit } = await makeApp()
    const { cookie, token } = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: token, text: 'x' }), headers: { ...formType, cookie, referer: 'https://evil.example/page' } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it('refuses a form post without a session cookie at all (403)', async () => {
    const { client, notes, visit } = await makeApp()
    const { token } = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: token, text: 'x' }), headers: formType })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it('refuses a text/plain body from a cross-site form with no token (403)', async () => {
    const { client, notes, visit } = await makeApp()
    const { cookie } = await visit()
    const res = await client.post('/notes', { body: 'text=x', headers: { 'content-type': 'text/plain', cookie } })
    expect(res.status).toBe(403)
    expect(notes).toEqual([])
  })

  it('accepts the same post from the same origin with the session token', async () => {
    const { client, notes, visit } = await makeApp()
    const { cookie, token } = await visit()
    const res = await client.post('/notes', { body: form({ _csrf: token, text: 'mine' }), headers: { ...formType, cookie, origin: 'http://localhost' } })
    expect(res.status).toBe(200)
    expect(notes).toEqual(['mine'])
  })
})
