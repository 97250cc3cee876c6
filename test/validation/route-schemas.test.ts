import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as v from 'valibot'
import { createApp, type DovetailConfig, type RouteSchemas } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import body from 'dovetailjs/components/middleware/body'
import objectDispatch, { expose } from 'dovetailjs/components/router/object-dispatch'

/*
 * Route schemas: the same routes with zod and with valibot, on the radix router (routes(r)) and on
 * object-dispatch (expose()). Invalid input of each kind is a 422 problem and the handler never runs.
 */

const libraries = {
  zod: {
    params: z.object({ id: z.coerce.number().int().positive() }),
    query: z.object({ page: z.coerce.number().int().min(1).default(1) }),
    headers: z.object({ 'x-tenant': z.string().min(1) }),
    body: z.strictObject({ title: z.string().min(1), tags: z.array(z.string()).default([]) }),
  },
  valibot: {
    params: v.object({ id: v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)) }),
    query: v.object({ page: v.optional(v.pipe(v.string(), v.transform(Number), v.integer(), v.minValue(1)), '1') }),
    headers: v.object({ 'x-tenant': v.pipe(v.string(), v.minLength(1)) }),
    body: v.strictObject({ title: v.pipe(v.string(), v.minLength(1)), tags: v.optional(v.array(v.string()), []) }),
  },
} satisfies Record<string, RouteSchemas>

const routers = ['radix', 'object-dispatch'] as const

async function appFor(router: (typeof routers)[number], schemas: (typeof libraries)['zod' | 'valibot'], ran: string[]) {
  const show = (ctx: any) => (ran.push('show'), ctx.json({ input: ctx.input, raw: ctx.params.id }))
  const create = (ctx: any) => (ran.push('create'), ctx.json(ctx.input.body, { status: 201 }))
  const showSchemas = { params: schemas.params, query: schemas.query, headers: schemas.headers }
  const config: DovetailConfig = { environment: 'test', components: { middleware: [body()] } }
  if (router === 'radix') {
    config.routes = (r) => {
      r.get('/notes/:id', { schemas: showSchemas }, show)
      r.post('/notes', create, { schemas: { body: schemas.body } })
    }
  } else {
    config.components!.router = objectDispatch({
      root: { notes: { index: expose(create, { methods: ['POST'], schemas: { body: schemas.body } }), show: expose(show, { params: ['id'], schemas: showSchemas }) } },
    })
  }
  return createTestClient(await createApp(config))
}

const showPath = (router: string, id: string) => (router === 'radix' ? `/notes/${id}` : `/notes/show/${id}`)

describe.each(Object.keys(libraries) as (keyof typeof libraries)[])('route schemas with %s', (library) => {
  const schemas = libraries[library]
  describe.each(routers)('on the %s router', (router) => {
    it('hands the handler the values the schemas give, the raw params unchanged', async () => {
      const ran: string[] = []
      const client = await appFor(router, schemas, ran)
      const res = await client.get(`${showPath(router, '7')}?page=2`, { headers: { 'x-tenant': 'acme' } })
      expect(res.status).toBe(200)
      const got = (await res.json()) as { input: { params: { id: number }; query: { page: number }; headers: Record<string, string> }; raw: string }
      expect(got.input.params).toEqual({ id: 7 })
      expect(Number(got.input.query.page)).toBe(2)
      expect(got.input.headers['x-tenant']).toBe('acme')
      expect(got.raw).toBe('7')
      const created = await client.post('/notes', { json: { title: 'Hi' } })
      expect(created.status).toBe(201)
      expect(await created.json()).toEqual({ title: 'Hi', tags: [] })
      expect(ran).toEqual(['show', 'create'])
    })

    it.each([
      ['a wrong type', { title: 42 }, 'title'],
      ['a missing field', {}, 'title'],
      ['an extra field (strict schema)', { title: 'Hi', admin: true }, ''],
      ['an operator object where a string is expected', { title: { $ne: null } }, 'title'],
      ['a wrong type inside a list', { title: 'Hi', tags: ['a', 3] }, 'tags[1]'],
    ])('answers %s in the body with 422 problem details naming the field, without running the handler', async (_kind, sent, path) => {
      const ran: string[] = []
      const client = await appFor(router, schemas, ran)
      const res = await client.post('/notes', { json: sent })
      expect(res.status).toBe(422)
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8')
      const problem = (await res.json()) as { type: string; title: string; status: number; detail: string; code: string; errors: { in: string; path: string; message: string }[] }
      expect(problem).toMatchObject({ type: 'about:blank', title: 'Unprocessable Content', status: 422, code: 'DOVETAIL_ERR_VALIDATION_FAILED' })
      expect(problem.errors.length).toBeGreaterThan(0)
      expect(problem.errors.every((e) => e.in === 'body' && e.message.length > 0)).toBe(true)
      // A strict object's extra key is reported at the object (zod) or at the key (valibot).
      if (path) expect(problem.errors.map((e) => e.path)).toContain(path)
      else expect(problem.errors.some((e) => e.path === '(root)' || e.path === 'admin')).toBe(true)
      expect(problem.detail).toContain('body')
      expect(ran).toEqual([])
    })

    it('answers a path parameter its schema refuses (GET /notes/abc) with 422 naming params.id', async () => {
      const ran: string[] = []
      const client = await appFor(router, schemas, ran)
      const res = await client.get(showPath(router, 'abc'), { headers: { 'x-tenant': 'acme' } })
      expect(res.status).toBe(422)
      const problem = (await res.json()) as { errors: { in: string; path: string }[] }
      expect(problem.errors.length).toBeGreaterThan(0)
      expect(problem.errors.every((e) => e.in === 'params' && e.path === 'id')).toBe(true)
      expect(ran).toEqual([])
    })

    it('reports every failing part at once: params, query and headers', async () => {
      const ran: string[] = []
      const client = await appFor(router, schemas, ran)
      const res = await client.get(`${showPath(router, '0')}?page=0`)
      expect(res.status).toBe(422)
      const problem = (await res.json()) as { errors: { in: string; path: string }[] }
      expect([...new Set(problem.errors.map((e) => `${e.in}.${e.path}`))]).toEqual(['params.id', 'query.page', 'headers.x-tenant'])
      expect(ran).toEqual([])
    })
  })
})

describe('route schemas: bodies that are not JSON objects', () => {
  const start = async (ran: string[]) =>
    createTestClient(
      await createApp({
        environment: 'test',
        components: { middleware: [body()] },
        routes(r) {
          r.post('/zl-notes', { schemas: { body: z.object({ title: z.string() }) } }, (ctx) => (ran.push('create'), ctx.json(ctx.input.body)))
        },
      }),
    )

  it('answers malformed JSON with the body component 400, before any schema runs', async () => {
    const ran: string[] = []
    const res = await (await start(ran)).post('/zl-notes', { body: '{"title": ', headers: { 'content-type': 'application/json' } })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
    expect(ran).toEqual([])
  })

  it('answers a request without a body with 422 at (root)', async () => {
    const ran: string[] = []
    const res = await (await start(ran)).post('/zl-notes')
    expect(res.status).toBe(422)
    expect(((await res.json()) as { errors: { path: string }[] }).errors[0]!.path).toBe('(root)')
    expect(ran).toEqual([])
  })

  it('validates a urlencoded form by its fields, a repeated field as a list', async () => {
    const ran: string[] = []
    const client = createTestClient(
      await createApp({
        environment: 'test',
        components: { middleware: [body()] },
        routes(r) {
          r.post('/zl-forms', { schemas: { body: z.object({ title: z.string(), tag: z.array(z.string()) }) } }, (ctx) => (ran.push('create'), ctx.json(ctx.input.body)))
        },
      }),
    )
    const res = await client.post('/zl-forms', { form: new URLSearchParams([['title', 'Hi'], ['tag', 'a'], ['tag', 'b']]) })
    expect(await res.json()).toEqual({ title: 'Hi', tag: ['a', 'b'] })
  })
})
