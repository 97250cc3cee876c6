import { describe, expect, it } from 'vitest'
import { Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { createValidationApp } from './app.js'
import { createObjectDispatchApp } from './object-dispatch.js'

/* The examples of docs/validation.md, as the page shows them. */

type Problem = { type: string; title: string; status: number; detail: string; code: string; errors: Array<{ in: string; path: string; message: string }> }

describe('docs/validation.md', () => {
  it('hands the handler typed, transformed input: query defaults, coerced params, the tenant from ctx.state', async () => {
    const { app } = await createValidationApp()
    const client = createTestClient(app)
    const created = await client.post('/notes', { json: { title: '  Tea  ', tags: ['drinks'] }, headers: { 'x-tenant': 'acme' } })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ id: 1, title: 'Tea', tags: ['drinks'], tenant: 'acme' })
    expect(await (await client.get('/notes/1')).json()).toMatchObject({ title: 'Tea' })
    expect(await (await client.get('/notes?tag=drinks')).json()).toHaveLength(1)
    expect(await (await client.get('/tags/x')).text()).toBe('tag x')
    expect(await (await client.get('/plan', { headers: { 'x-plan': 'paid' } })).text()).toBe('plan paid')
  })

  it('answers invalid input with the problem details the page shows', async () => {
    const { app } = await createValidationApp()
    const res = await createTestClient(app).post('/notes', { json: { title: { $ne: null }, extra: 1 } })
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
    const problem = (await res.json()) as Problem
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: expect.stringMatching(/^Invalid body: body\.title: /),
      code: 'DOVETAIL_ERR_VALIDATION_FAILED',
      errors: [
        { in: 'body', path: 'title', message: 'Invalid input: expected string, received object' },
        { in: 'body', path: '(root)', message: 'Unrecognized key: "extra"' },
      ],
    })
  })

  it('answers GET /notes/abc with 422 naming params.id, and validates a valibot body', async () => {
    const { app } = await createValidationApp()
    const client = createTestClient(app)
    const res = await client.get('/notes/abc')
    expect(res.status).toBe(422)
    expect(((await res.json()) as Problem).errors.map((e) => `${e.in}.${e.path}`)).toEqual(['params.id'])
    const comment = await client.post('/notes/1/comments', { json: { text: '' } })
    expect(((await comment.json()) as Problem).errors).toEqual([{ in: 'body', path: 'text', message: 'Invalid length: Expected >=1 but received 0' }])
    expect(await (await client.post('/notes/1/comments', { json: { text: 'Nice' } })).json()).toEqual({ note: 1, text: 'Nice' })
  })

  it('renders the form again with the values sent and the messages', async () => {
    const { app } = await createValidationApp()
    const res = await createTestClient(app).post('/signup', { form: { email: 'nope', name: 'Ada' } })
    expect(res.status).toBe(422)
    const html = await res.text()
    expect(html).toContain('value="nope"')
    expect(html).toContain('<p class="error">Enter an email address.</p>')
    expect(html).toContain('value="Ada"')
  })

  it('checks responses against their schema in development', async () => {
    const { app, breakResponses } = await createValidationApp('development')
    const errors: string[] = []
    const log = app.resolve(Logger)
    log.error = ((fields: { err?: Error }) => void errors.push(String(fields.err?.message))) as typeof log.error
    breakResponses()
    const res = await createTestClient(app).post('/notes', { json: { title: 'Tea' } })
    expect(res.status).toBe(500)
    expect(errors[0]).toContain('Route POST /notes answered 201 with a body that does not match its response schema: id: Invalid input: expected number, received string')
  })

  it('validates actions of a controller tree declared with expose()', async () => {
    const client = createTestClient(await createObjectDispatchApp())
    expect(await (await client.get('/pages/show/about-us')).json()).toEqual({ slug: 'about-us' })
    expect(((await (await client.get('/pages/show/About')).json()) as Problem).errors[0]).toMatchObject({ in: 'params', path: 'slug', message: 'Lower-case letters, digits and dashes.' })
    expect(await (await client.get('/pages/create')).text()).toBe('the form')
    expect((await client.post('/pages/create', { json: { title: '' } })).status).toBe(422)
    expect((await client.post('/pages/create', { json: { title: 'About' } })).status).toBe(201)
  })
})
