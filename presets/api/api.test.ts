import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createApp, Orm, type DovetailConfig } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { readJson } from 'dovetailjs/components/middleware/body'
import { cors } from 'dovetailjs/components/middleware/cors'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'

const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }

/** The api preset, with the ORM on an in-memory SQLite and the pino logger writing into memory. */
async function apiApp(environment: 'production' | 'development', more: Partial<DovetailConfig> = {}) {
  let written = ''
  const logs = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk)
      done()
    },
  })
  const app = await createApp({
    preset: 'api',
    environment,
    ...more,
    components: { logger: pinoLogger({ destination: logs }), orm: mikroOrm({ url: ':memory:' }), ...more.components },
    routes(r) {
      r.post('/notes', async (ctx) => ctx.json({ created: await readJson(ctx) }, { status: 201 }))
      r.get('/crash', () => {
        throw new Error('secret internals: table notes is locked')
      })
      r.get('/db', async (ctx) => ctx.json(await ctx.resolve(Orm).execute<{ answer: number }>('select 6 * 7 as answer')))
    },
  })
  const lines = () =>
    written
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>)
  return { app, client: createTestClient(app), lines }
}

describe('the api preset', () => {
  it('boots with its components and serves JSON, bodies and the database', async () => {
    const { app, client } = await apiApp('production')
    const created = await client.post('/notes', { json: { text: 'hello' } })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ created: { text: 'hello' } })
    expect(await (await client.get('/db')).json()).toEqual([{ answer: 42 }])
    await app.close()
  })

  it('answers errors as JSON, even to browsers, with the request id and never the stack', async () => {
    const { app, client, lines } = await apiApp('production')
    for (const [path, status, code] of [
      ['/nowhere', 404, 'DOVETAIL_ERR_HTTP_NOT_FOUND'],
      ['/crash', 500, 'DOVETAIL_ERR_HTTP_INTERNAL'],
    ] as const) {
      const res = await client.get(path, { headers: browser })
      expect(res.status).toBe(status)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      const id = res.headers.get('x-request-id')
      const body = await res.json()
      expect(body).toEqual({ error: { status, code, message: status === 404 ? 'Not Found' : 'Internal Server Error', requestId: id } })
    }
    const notAllowed = await client.get('/notes')
    expect(notAllowed.status).toBe(405)
    expect(notAllowed.headers.get('allow')).toBe('POST')
    expect(await notAllowed.json()).toMatchObject({ error: { status: 405, code: 'DOVETAIL_ERR_HTTP_METHOD_NOT_ALLOWED' } })
    // a malformed body is the client's fault, said in JSON
    const malformed = await client.post('/notes', { body: '{"text": ', headers: { 'content-type': 'application/json' } })
    expect(malformed.status).toBe(400)
    expect(await malformed.json()).toMatchObject({ error: { status: 400 } })

    // every request logged once, the crash with its stack in the log only
    expect(lines().filter((l) => 'durationMs' in l).map((l) => [l.path, l.status])).toEqual([
      ['/nowhere', 404],
      ['/crash', 500],
      ['/notes', 405],
      ['/notes', 400],
    ])
    const crash = lines().find((l) => l.msg === 'uncaught error while handling a request')!
    expect(crash.err.message).toBe('secret internals: table notes is locked')
    await app.close()
  })

  it('adds debug details to 5xx JSON in development', async () => {
    const { app, client } = await apiApp('development')
    const body = (await (await client.get('/crash')).json()) as { error: { debug: { message: string; stack: string } } }
    expect(body.error.debug.message).toBe('secret internals: table notes is locked')
    expect(body.error.debug.stack).toContain('api.test.ts')
    await app.close()
  })

  it('sends API security headers on every response, errors included', async () => {
    const { app, client } = await apiApp('production')
    for (const res of [await client.post('/notes', { json: {} }), await client.get('/nowhere')]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
    await app.close()
  })

  it('allows no cross-origin access until the config replaces cors, which then covers error responses too', async () => {
    const closed = await apiApp('production')
    expect((await closed.client.get('/nowhere', { headers: { origin: 'https://app.example.com' } })).headers.has('access-control-allow-origin')).toBe(false)
    await closed.app.close()

    const open = await apiApp('production', {
      components: { middleware: { replace: { cors: cors({ origin: ['https://app.example.com'], exposedHeaders: ['x-request-id'] }) } } },
    })
    const res = await open.client.get('/nowhere', { headers: { origin: 'https://app.example.com' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com')
    expect(res.headers.get('access-control-expose-headers')).toBe('x-request-id')
    const preflight = await open.client.request('OPTIONS', '/notes', {
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('x-request-id')).toBeTruthy()
    await open.app.close()
  })
})

describe("the api preset's OpenAPI document", () => {
  it('is served with its reference page in development, under the page policy rather than the API one', async () => {
    const { app, client } = await apiApp('development')
    const doc = await client.get('/openapi.json')
    expect(doc.status).toBe(200)
    expect(await doc.json()).toEqual(app.openapi())
    const page = await client.get('/docs')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect((await client.get('/docs/assets/swagger-ui-bundle.js')).status).toBe(200)
    await app.close()
  })

  it('is not served in production unless the openapi options say production: true', async () => {
    const off = await apiApp('production')
    expect((await off.client.get('/openapi.json')).status).toBe(404)
    expect((await off.client.get('/docs')).status).toBe(404)
    await off.app.close()
    const on = await apiApp('production', { components: { middleware: { replace: { openapi: { use: 'openapi', options: { production: true } } } } } })
    expect((await on.client.get('/openapi.json')).status).toBe(200)
    await on.app.close()
  })
})
