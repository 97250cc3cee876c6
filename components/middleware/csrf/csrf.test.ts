import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger, type Component } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { csrf, csrfToken, type CsrfOptions } from 'dovetailjs/components/middleware/csrf'
import { body, readForm } from 'dovetailjs/components/middleware/body'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { eta } from 'dovetailjs/components/template/eta'
import { nunjucks } from 'dovetailjs/components/template/nunjucks'

const secrets = ['csrf-test-secret-0123456789-0123456789-ab']
const views = (engine: string) => fileURLToPath(new URL(`./fixtures/${engine}`, import.meta.url))
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

async function makeApp(options: CsrfOptions = {}, template: Component = eta({ views: views('eta') })) {
  const notes: string[] = []
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { template, 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), csrf(options)] },
      register: (c) => void c.value(Logger, quiet),
      routes(r) {
        r.get('/form', (ctx) => ctx.render('form'))
        r.get('/plain', (ctx) => ctx.render('plain'))
        r.get('/token', async (ctx) => ctx.json({ token: await csrfToken(ctx) }))
        const add = async (ctx: { request: Request; text(s: string): Response }) => {
          const type = ctx.request.headers.get('content-type') ?? ''
          const text = type.includes('json') ? ((await ctx.request.json()) as { text: string }).text : String((await ctx.request.formData()).get('text'))
          notes.push(text)
          return ctx.text(`saved ${text}`)
        }
        r.post('/notes', add)
        r.put('/notes', add)
        r.delete('/notes', (ctx) => {
          notes.length = 0
          return ctx.text('cleared')
        })
        r.post('/hooks/payment', (ctx) => ctx.text('hook ok'))
      },
    }),
  )
  return { app, notes, client: createTestClient(app) }
}

/** Load the form page as a browser would: the session cookie and the token it carries. */
async function visitForm(client: ReturnType<typeof createTestClient>) {
  const res = await client.get('/form', { headers: { accept: 'text/html' } })
  const html = await res.text()
  const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!
  return { html, cookie, token }
}

describe('middleware/csrf', () => {
  it('refuses a form post without the token with a 403 page, and the handler never runs', async () => {
    const { client, notes } = await makeApp()
    const { cookie } = await visitForm(client)
    const res = await client.post('/notes', { form: { text: 'forged' }, headers: { cookie, accept: 'text/html' } })
    expect(res.status).toBe(403)
    expect(res.headers.get('content-type')).toContain('text/html')
    expect(await res.text()).toContain('This form was refused because it carries no security token. Reload the page')
    expect(notes).toEqual([])
  })

  it('answers JSON clients with the stable code', async () => {
    const { client } = await makeApp()
    const { cookie } = await visitForm(client)
    const res = await client.post('/notes', { form: { text: 'x' }, headers: { cookie } })
    expect(await res.json()).toMatchObject({ error: { status: 403, code: 'DOVETAIL_ERR_CSRF_TOKEN_MISSING' } })
  })

  it('accepts a form post that carries the token from csrfField(), and the handler still reads the whole body', async () => {
    const { client, notes } = await makeApp()
    const { cookie, token } = await visitForm(client)
    const res = await client.post('/notes', { form: { _csrf: token, text: 'hello' }, headers: { cookie } })
    expect(await res.text()).toBe('saved hello')
    expect(notes).toEqual(['hello'])
  })

  it('accepts the token in the x-csrf-token header', async () => {
    const { client, notes } = await makeApp()
    const { cookie, token } = await visitForm(client)
    const res = await client.request('DELETE', '/notes', { headers: { cookie, 'x-csrf-token': token } })
    expect(res.status).toBe(200)
    expect(notes).toEqual([])
  })

  it('refuses a token made for another session', async () => {
    const { client, notes } = await makeApp()
    const mine = await visitForm(client)
    const theirs = await visitForm(client)
    const res = await client.post('/notes', { form: { _csrf: theirs.token, text: 'x' }, headers: { cookie: mine.cookie } })
    expect(res.status).toBe(403)
    expect(await res.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_CSRF_TOKEN_INVALID' } })
    expect(notes).toEqual([])
  })

  it('refuses a token without a session (a forged form from a visitor with no cookie)', async () => {
    const { client } = await makeApp()
    const { token } = await visitForm(client)
    const res = await client.post('/notes', { form: { _csrf: token, text: 'x' } })
    expect(await res.json()).toMatchObject({ error: { code: 'DOVETAIL_ERR_CSRF_TOKEN_INVALID' } })
  })

  it('gives each page a different token string for the same session, all valid', async () => {
    const { client, notes } = await makeApp()
    const { cookie, token } = await visitForm(client)
    const again = await (await client.get('/form', { headers: { cookie } })).text()
    const second = /name="_csrf" value="([^"]+)"/.exec(again)![1]!
    expect(second).not.toBe(token)
    await client.post('/notes', { form: { _csrf: second, text: 'a' }, headers: { cookie } })
    await client.post('/notes', { form: { _csrf: token, text: 'b' }, headers: { cookie } })
    expect(notes).toEqual(['a', 'b'])
  })

  it('never hands out the same token twice, however many pages a session renders', async () => {
    const { client, notes } = await makeApp()
    const { cookie } = await visitForm(client)
    const tokens: string[] = []
    // More than one fill of the random pool the masks come from (4 KiB, 64 bytes a token).
    for (let i = 0; i < 150; i++) tokens.push(((await (await client.get('/token', { headers: { cookie } })).json()) as { token: string }).token)
    expect(new Set(tokens).size).toBe(tokens.length)
    for (const token of [tokens[0]!, tokens[70]!, tokens[149]!]) {
      expect((await client.post('/notes', { form: { _csrf: token, text: 'ok' }, headers: { cookie } })).status).toBe(200)
    }
    expect(notes).toEqual(['ok', 'ok', 'ok'])
  })

  it('finds the token in a multipart form, before a file', async () => {
    const { client, notes } = await makeApp()
    const { cookie, token } = await visitForm(client)
    const form = new FormData()
    form.set('_csrf', token)
    form.set('upload', new Blob(['x'.repeat(200_000)]), 'big.txt')
    form.set('text', 'with file')
    const res = await client.post('/notes', { body: form, headers: { cookie } })
    expect(await res.text()).toBe('saved with file')
    expect(notes).toEqual(['with file'])
  })

  it('says where the token must go when a multipart form has it after a large file', async () => {
    const { client, notes } = await makeApp()
    const { cookie, token } = await visitForm(client)
    const form = new FormData()
    form.set('upload', new Blob(['x'.repeat(200_000)]), 'big.txt')
    form.set('_csrf', token)
    const res = await client.post('/notes', { body: form, headers: { cookie, accept: 'text/html' } })
    expect(res.status).toBe(403)
    expect(await res.text()).toContain('before any file input')
    expect(notes).toEqual([])
  })

  it('reads the token from the body middleware parse when it runs first, anywhere in a multipart form', async () => {
    const notes: string[] = []
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { template: eta({ views: views('eta') }), 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), body(), csrf()] },
        register: (c) => void c.value(Logger, quiet),
        routes(r) {
          r.get('/form', (ctx) => ctx.render('form'))
          r.post('/notes', async (ctx) => {
            const form = await readForm(ctx)
            notes.push(`${form.fields.text} (${form.files.length} file)`)
            return ctx.text('saved')
          })
        },
      }),
    )
    const client = createTestClient(app)
    const { cookie, token } = await visitForm(client)
    const late = new FormData()
    late.set('upload', new Blob(['x'.repeat(200_000)]), 'big.txt')
    late.set('text', 'token last')
    late.set('_csrf', token)
    expect((await client.post('/notes', { body: late, headers: { cookie } })).status).toBe(200)
    const none = new FormData()
    none.set('text', 'no token')
    expect((await client.post('/notes', { body: none, headers: { cookie } })).status).toBe(403)
    expect(notes).toEqual(['token last (1 file)'])
  })

  describe('origin check', () => {
    it('refuses a request from another origin even with a valid token', async () => {
      const { client, notes } = await makeApp()
      const { cookie, token } = await visitForm(client)
      const res = await client.post('/notes', { form: { _csrf: token, text: 'x' }, headers: { cookie, origin: 'https://evil.example' } })
      expect(res.status).toBe(403)
      const body = (await res.json()) as { error: { code: string; message: string } }
      expect(body.error.code).toBe('DOVETAIL_ERR_CSRF_ORIGIN_MISMATCH')
      expect(body.error.message).toContain('came from https://evil.example, not from this site (http://localhost)')
      expect(notes).toEqual([])
    })

    it('compares with the origin each request was sent to, when one app answers under several', async () => {
      const { app, client } = await makeApp()
      const { cookie, token } = await visitForm(client)
      const post = (url: string, origin: string) =>
        app.fetch(new Request(url, { method: 'POST', headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${token}&text=x` }))
      expect((await post('http://a.example/notes', 'http://a.example')).status).toBe(200)
      expect((await post('http://b.example/notes', 'http://b.example')).status).toBe(200)
      expect((await post('http://b.example/notes', 'http://a.example')).status).toBe(403)
      expect((await post('http://a.example:8080/notes', 'http://a.example')).status).toBe(403)
      expect((await post('http://a.example/notes', 'http://b.example')).status).toBe(403)
    })

    it('uses the Referer when there is no Origin', async () => {
      const { client } = await makeApp()
      const { cookie, token } = await visitForm(client)
      const res = await client.post('/notes', { form: { _csrf: token, text: 'x' }, headers: { cookie, referer: 'https://evil.example/page' } })
      expect((await res.json()) as object).toMatchObject({ error: { code: 'DOVETAIL_ERR_CSRF_ORIGIN_MISMATCH' } })
      const same = await client.post('/notes', { form: { _csrf: token, text: 'y' }, headers: { cookie, referer: 'http://localhost/form' } })
      expect(same.status).toBe(200)
    })

    it('lets a JSON request from the same origin through on the Origin check alone', async () => {
      const { client, notes } = await makeApp()
      const res = await client.post('/notes', { json: { text: 'api' }, headers: { origin: 'http://localhost' } })
      expect(res.status).toBe(200)
      expect(notes).toEqual(['api'])
      const cross = await client.post('/notes', { json: { text: 'evil' }, headers: { origin: 'https://evil.example' } })
      expect(cross.status).toBe(403)
      expect(notes).toEqual(['api'])
    })

    it("requires the token on JSON too with tokenRequired: 'always'", async () => {
      const { client, notes } = await makeApp({ tokenRequired: 'always' })
      const res = await client.post('/notes', { json: { text: 'api' } })
      expect(res.status).toBe(403)
      expect(notes).toEqual([])
    })

    it('accepts an origin from trustedOrigins', async () => {
      const { client, notes } = await makeApp({ trustedOrigins: ['https://admin.example'] })
      const { cookie, token } = await visitForm(client)
      const res = await client.post('/notes', { form: { _csrf: token, text: 'x' }, headers: { cookie, origin: 'https://admin.example' } })
      expect(res.status).toBe(200)
      expect(notes).toEqual(['x'])
    })

    it('refuses a trusted origin with a path at startup', async () => {
      await expect(makeApp({ trustedOrigins: ['https://admin.example/'] })).rejects.toThrow(/option 'trustedOrigins\[0\]': each trusted origin is a scheme, host/)
    })
  })

  it('exempts safe methods and exemptPaths', async () => {
    const { client } = await makeApp({ exemptPaths: ['/hooks/'] })
    expect((await client.get('/plain')).status).toBe(200)
    expect((await client.post('/hooks/payment', { body: 'raw' })).status).toBe(200)
  })

  it('creates no session for a rendered page that has no form', async () => {
    const { client } = await makeApp()
    const res = await client.get('/plain')
    expect(res.status).toBe(200)
    expect(res.headers.getSetCookie()).toEqual([])
  })

  it('gives nunjucks templates the same csrfField() and csrfToken, unescaped markup', async () => {
    const { client, notes } = await makeApp({}, nunjucks({ views: views('nunjucks') }))
    const res = await client.get('/form')
    const html = await res.text()
    expect(html).toMatch(/<form method="post" action="\/notes"><input type="hidden" name="_csrf" value="[\w-]{86}"><input name="text"><\/form>/)
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!
    expect(html).toMatch(/<meta name="csrf-token" content="[\w-]{86}">/)
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
    await client.post('/notes', { form: { _csrf: token, text: 'njk' }, headers: { cookie } })
    expect(notes).toEqual(['njk'])
  })

  it('hands a token to code that is not a template (csrfToken(ctx))', async () => {
    const { client, notes } = await makeApp()
    const res = await client.get('/token')
    const { token } = (await res.json()) as { token: string }
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!
    await client.put('/notes', { form: { text: 'via header' }, headers: { cookie, 'x-csrf-token': token } })
    expect(notes).toEqual(['via header'])
  })

  it('fails with a clear error when the session middleware is missing', async () => {
    const errors: unknown[][] = []
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { 'session-store': memoryStore(), middleware: [csrf()] },
        register: (c) => void c.value(Logger, { ...quiet, error: (...args: unknown[]) => void errors.push(args) }),
        routes: (r) => r.get('/', (ctx) => ctx.text('x')),
      }),
    )
    const res = await createTestClient(app).get('/')
    expect(res.status).toBe(500)
    expect(String((errors[0]![0] as { err: Error }).err.message)).toMatch(/List sessionMiddleware.*before csrf\(\).*DOVETAIL_ERR_CSRF_NO_SESSION/s)
  })

  it('reads the token from a form sent to the node server, and the handler still gets the body', async () => {
    const { app, notes } = await makeApp()
    const server = await app.listen({ port: 0 })
    try {
      const page = await fetch(`${server.url}/form`)
      const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
      const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
      const body = new URLSearchParams({ _csrf: token, text: 'over a socket' })
      const ok = await fetch(`${server.url}/notes`, { method: 'POST', body, headers: { cookie, origin: server.url } })
      expect(await ok.text()).toBe('saved over a socket')
      const refused = await fetch(`${server.url}/notes`, { method: 'POST', body: new URLSearchParams({ text: 'no token' }), headers: { cookie } })
      expect(refused.status).toBe(403)
      expect(notes).toEqual(['over a socket'])
    } finally {
      await app.close()
    }
  })
})
