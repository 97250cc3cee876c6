import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type Component, createApp, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { body } from 'dovetailjs/components/middleware/body'
import { csrf } from 'dovetailjs/components/middleware/csrf'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { eta } from 'dovetailjs/components/template/eta'
import { nunjucks } from 'dovetailjs/components/template/nunjucks'

/*
 * onInvalid: a form whose input fails its schema is rendered again, with the values sent and the
 * messages, at 422, the TurboGears way; CSRF is still checked first. Both template engines.
 */

const views = (engine: string) => fileURLToPath(new URL(`./fixtures/${engine}`, import.meta.url))
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
// Not strict: the form also posts the CSRF field, which this schema leaves out of ctx.input.
const NoteForm = z.object({ title: z.string().trim().min(3, 'At least 3 characters, please.') })

async function start(template: Component) {
  const saved: string[] = []
  const app = await createApp({
    environment: 'test',
    components: { template, 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets: ['form-rerender-secret-0123456789-0123456789'] }), body(), csrf()] },
    register: (c) => void c.value(Logger, quiet),
    routes(r) {
      r.get('/zf-notes/new', (ctx) => ctx.render('note-form', { values: {}, errors: {} }))
      r.post('/zf-notes', { schemas: { body: NoteForm }, onInvalid: 'note-form' }, (ctx) => {
        saved.push(ctx.input.body.title)
        return ctx.redirect('/zf-notes/new', 303)
      })
    },
  })
  const client = createTestClient(app)
  const page = await client.get('/zf-notes/new', { headers: { accept: 'text/html' } })
  const cookie = page.headers.getSetCookie()[0]!.split(';')[0]!
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
  return { client, saved, cookie, token }
}

describe.each([
  ['eta', () => eta({ views: views('eta') })],
  ['nunjucks', () => nunjucks({ views: views('nunjucks') })],
] as const)('onInvalid with %s', (_engine, template) => {
  it('renders the form again at 422 with the values sent (escaped) and the message, and a fresh CSRF field', async () => {
    const { client, saved, cookie, token } = await start(template())
    const res = await client.post('/zf-notes', { form: { _csrf: token, title: '<i' }, headers: { cookie, accept: 'text/html' } })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('text/html')
    const html = await res.text()
    expect(html).toContain('value="&lt;i"')
    expect(html).toContain('<p class="error">At least 3 characters, please.</p>')
    expect(html).toMatch(/name="_csrf" value="[^"]+"/)
    expect(saved).toEqual([])
  })

  it('still refuses a form without the CSRF token (403) before validating it', async () => {
    const { client, saved, cookie } = await start(template())
    const res = await client.post('/zf-notes', { form: { title: 'x' }, headers: { cookie, accept: 'text/html' } })
    expect(res.status).toBe(403)
    expect(saved).toEqual([])
  })

  it('runs the handler with the trimmed value for a valid form', async () => {
    const { client, saved, cookie, token } = await start(template())
    const res = await client.post('/zf-notes', { form: { _csrf: token, title: '  Tea  ' }, headers: { cookie } })
    expect(res.status).toBe(303)
    expect(saved).toEqual(['Tea'])
  })

  it('answers a JSON client with the problem details, not the form', async () => {
    const { client, saved, cookie, token } = await start(template())
    const res = await client.post('/zf-notes', { json: { title: 'x' }, headers: { cookie, 'x-csrf-token': token, accept: 'application/json' } })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    expect(saved).toEqual([])
  })
})
