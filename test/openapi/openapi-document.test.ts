import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as v from 'valibot'
import { toStandardJsonSchema } from '@valibot/to-json-schema'
import { Validator } from '@seriousme/openapi-schema-validator'
import { createApp, defineComponent, DovetailError, openApiDocument, Router, withOpenApi, type DovetailConfig, type Middleware, type OpenApiDocument, type RouteSchemas } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import { auth, requireRole, requireUser } from 'dovetailjs/components/middleware/auth'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import objectDispatch, { expose } from 'dovetailjs/components/router/object-dispatch'

/*
 * app.openapi(): the same notes API with zod and with valibot schemas, on the radix router
 * (routes(r)) and on object-dispatch (expose()); each document must pass an OpenAPI 3.1 validator.
 */

/** The validator's verdict, with its refs resolved (a dangling $ref throws there). */
async function validate(doc: OpenApiDocument) {
  const validator = new Validator()
  const result = await validator.validate(structuredClone(doc) as never)
  if (result.valid) validator.resolveRefs()
  return { valid: result.valid, errors: result.errors, version: validator.version }
}

const libraries = {
  zod: {
    params: z.object({ id: z.coerce.number().int().positive() }),
    query: z.object({ page: z.coerce.number().int().min(1).optional(), q: z.string().describe('Words to look for') }),
    headers: z.object({ 'x-tenant': z.string().min(1) }),
    body: z.strictObject({ title: z.string().min(1), tags: z.array(z.string()).default([]) }),
    note: z.object({ id: z.number().int(), title: z.string(), tags: z.array(z.string()) }),
  },
  valibot: {
    params: toStandardJsonSchema(v.object({ id: v.pipe(v.string(), v.regex(/^\d+$/)) })),
    query: toStandardJsonSchema(v.object({ page: v.optional(v.pipe(v.string(), v.regex(/^\d+$/))), q: v.pipe(v.string(), v.description('Words to look for')) })),
    headers: toStandardJsonSchema(v.object({ 'x-tenant': v.pipe(v.string(), v.minLength(1)) })),
    body: toStandardJsonSchema(v.strictObject({ title: v.pipe(v.string(), v.minLength(1)), tags: v.optional(v.array(v.string()), []) })),
    note: toStandardJsonSchema(v.object({ id: v.pipe(v.number(), v.integer()), title: v.string(), tags: v.array(v.string()) })),
  },
} satisfies Record<string, RouteSchemas & { note: unknown }>

type Library = (typeof libraries)[keyof typeof libraries]
const ok = (ctx: { json(v: unknown): Response }) => ctx.json({})

async function notesApp(router: 'radix' | 'object-dispatch', s: Library) {
  const showOptions = { schemas: { params: s.params, headers: s.headers, response: { 200: s.note } }, summary: 'One note', tags: ['notes'] }
  const listOptions = { schemas: { query: s.query, response: { 200: z.array(libraries.zod.note) } }, description: 'Newest first.', tags: ['notes'] }
  const createOptions = { schemas: { body: s.body, response: { 201: s.note } }, tags: ['notes'], deprecated: true }
  const config: DovetailConfig = { environment: 'test', components: { middleware: [body()] } }
  if (router === 'radix') {
    config.routes = (r) => {
      r.get('/notes/:id', { ...showOptions, name: 'note' }, ok)
      r.get('/notes', { ...listOptions, name: 'notes' }, ok)
      r.post('/notes', { ...createOptions, name: 'createNote' }, ok)
      r.get('/files/*', ok)
      r.mount('/legacy', () => new Response('legacy'))
    }
  } else {
    config.components!.router = objectDispatch({
      root: {
        notes: {
          index: expose({ get: ok, post: ok }, { name: 'notes' }),
          show: expose(ok, { ...showOptions, name: 'note', params: ['id'] }),
          search: expose(ok, { ...listOptions, name: 'searchNotes' }),
          add: expose(ok, { ...createOptions, name: 'createNote', methods: ['POST'] }),
        },
      },
    })
  }
  return createApp(config)
}

describe.each(Object.keys(libraries) as (keyof typeof libraries)[])('app.openapi() with %s schemas', (library) => {
  const s = libraries[library]

  it('on the radix router, is a valid OpenAPI 3.1 document of every route', async () => {
    const doc = (await notesApp('radix', s)).openapi({ title: 'Notes', version: '1.2.0' })
    expect(await validate(doc)).toEqual({ valid: true, errors: undefined, version: '3.1' })
    expect(doc.info).toEqual({ title: 'Notes', version: '1.2.0' })
    expect(Object.keys(doc.paths)).toEqual(['/notes/{id}', '/notes', '/files/{*}'])
  })

  it('on the object-dispatch router, is a valid OpenAPI 3.1 document of the controller tree', async () => {
    const doc = (await notesApp('object-dispatch', s)).openapi()
    expect(await validate(doc)).toEqual({ valid: true, errors: undefined, version: '3.1' })
    expect(Object.keys(doc.paths).sort()).toEqual(['/notes', '/notes/add', '/notes/search', '/notes/show/{id}'])
    expect(doc.paths['/notes/show/{id}']?.get?.operationId).toBe('note')
  })

  it('takes path parameters from the params schema and the query and headers one parameter per field', async () => {
    const doc = (await notesApp('radix', s)).openapi()
    const show = doc.paths['/notes/{id}']!.get!
    expect(show.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: expect.objectContaining({ type: library === 'zod' ? 'integer' : 'string' }) },
      { name: 'x-tenant', in: 'header', required: true, schema: expect.objectContaining({ type: 'string', minLength: 1 }) },
    ])
    const list = doc.paths['/notes']!.get!
    expect(list.parameters).toEqual([
      { name: 'page', in: 'query', required: false, schema: expect.objectContaining({ type: library === 'zod' ? 'integer' : 'string' }) },
      { name: 'q', in: 'query', required: true, description: 'Words to look for', schema: { type: 'string' } },
    ])
  })

  it('documents the body, the responses by status and the 422 problem details of invalid input', async () => {
    const doc = (await notesApp('radix', s)).openapi()
    const create = doc.paths['/notes']!.post!
    expect(create.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: expect.objectContaining({ type: 'object', required: ['title'], additionalProperties: false }) } },
    })
    expect(Object.keys(create.responses)).toEqual(['201', '422'])
    expect(create.responses['201']!.content!['application/json']!.schema).toMatchObject({ type: 'object', required: ['id', 'title', 'tags'] })
    expect(create.responses['422']!.content).toEqual({ 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } })
    expect(doc.components!.schemas!.ValidationProblem).toMatchObject({ properties: { code: { const: 'DOVETAIL_ERR_VALIDATION_FAILED' } } })
  })
})

describe('app.openapi()', () => {
  it('names operations after the routes and carries summary, description, tags and deprecated', async () => {
    const doc = (await notesApp('radix', libraries.zod)).openapi()
    expect(doc.paths['/notes/{id}']!.get).toMatchObject({ operationId: 'note', summary: 'One note', tags: ['notes'] })
    expect(doc.paths['/notes']!.get).toMatchObject({ operationId: 'notes', description: 'Newest first.' })
    expect(doc.paths['/notes']!.post).toMatchObject({ operationId: 'createNote', deprecated: true })
  })

  it('leaves HEAD and mounted apps out, and turns * into the {*} parameter', async () => {
    const doc = (await notesApp('radix', libraries.zod)).openapi()
    expect(Object.keys(doc.paths['/notes/{id}']!)).toEqual(['get'])
    expect(Object.keys(doc.paths).some((p) => p.startsWith('/legacy'))).toBe(false)
    expect(doc.paths['/files/{*}']!.get!.parameters).toEqual([{ name: '*', in: 'path', required: true, schema: { type: 'string' } }])
  })

  it("writes find-my-way's parameter forms as path templates: two in one segment, a regex as the parameter's pattern, :: as a colon", async () => {
    const app = await createApp({ environment: 'test', routes: (r) => r.get('/flights/:from-:to', ok).get('/items/:id(^\\d+$)', ok).get('/time/12::00', ok) })
    const doc = app.openapi()
    expect(Object.keys(doc.paths)).toEqual(['/flights/{from}-{to}', '/items/{id}', '/time/12:00'])
    expect(doc.paths['/flights/{from}-{to}']!.get!.parameters!.map((p) => p.name)).toEqual(['from', 'to'])
    expect(doc.paths['/items/{id}']!.get!.parameters).toEqual([{ name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d+$' } }])
    expect((await validate(doc)).valid).toBe(true)
  })

  it('gives a route with several methods one operationId per method, and a route without a success schema a default response', async () => {
    const app = await createApp({ environment: 'test', routes: (r) => r.route(['GET', 'PUT'], '/settings', ok, { name: 'settings' }) })
    const doc = app.openapi()
    expect(doc.paths['/settings']!.get!.operationId).toBe('settings.get')
    expect(doc.paths['/settings']!.put!.operationId).toBe('settings.put')
    expect(Object.keys(doc.paths['/settings']!.get!.responses)).toEqual(['default'])
    expect((await validate(doc)).valid).toBe(true)
  })

  it('moves the $defs of a recursive schema to components.schemas, where its references resolve', async () => {
    interface Folder { name: string; folders: Folder[] }
    const FolderSchema: z.ZodType<Folder> = z.lazy(() => z.object({ name: z.string(), folders: z.array(FolderSchema) }))
    const app = await createApp({ environment: 'test', components: { middleware: [body()] }, routes: (r) => r.put('/tree', { schemas: { body: z.object({ root: FolderSchema }) } }, ok) })
    const doc = app.openapi()
    expect(await validate(doc)).toMatchObject({ valid: true })
    const schema = doc.paths['/tree']!.put!.requestBody!.content['application/json']!.schema!
    expect(JSON.stringify(schema)).toMatch(/#\/components\/schemas\//)
    expect(JSON.stringify(schema)).not.toMatch(/\$defs/)
  })

  it("keeps a route's own schema named Error apart from the document's error body", async () => {
    const AppError = z.object({ reason: z.string() }).meta({ id: 'Error' })
    const secrets = ['openapi-test-secret-0123456789-0123456789']
    const app = await createApp({
      environment: 'test',
      components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets }), auth({ loadUser: () => undefined })] },
      routes: (r) => r.get('/failures', { schemas: { response: { 200: z.array(AppError) } } }, requireUser(ok)),
    })
    const doc = app.openapi()
    expect(await validate(doc)).toMatchObject({ valid: true })
    expect(doc.paths['/failures']!.get!.responses['200']!.content!['application/json']!.schema).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Error_2' } })
    expect(doc.components!.schemas!.Error_2).toMatchObject({ required: ['reason'] })
    expect(doc.components!.schemas!.Error).toMatchObject({ required: ['error'] })
  })

  it('refuses a schema without the Standard JSON Schema interface, naming the route and the part', async () => {
    const app = await createApp({ environment: 'test', components: { middleware: [body()] }, routes: (r) => r.post('/notes', { schemas: { body: v.object({ title: v.string() }) } }, ok) })
    expect(() => app.openapi()).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OPENAPI_NO_JSON_SCHEMA', message: expect.stringMatching(/^Route POST \/notes: its body schema \(valibot\) has no Standard JSON Schema interface.*toStandardJsonSchema/) }))
  })

  it('refuses a schema its library cannot write as JSON Schema, naming the route and the cause', async () => {
    const app = await createApp({ environment: 'test', routes: (r) => r.get('/since', { schemas: { query: z.object({ from: z.date() }) } }, ok) })
    expect(() => app.openapi()).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OPENAPI_SCHEMA', message: expect.stringMatching(/^Route GET \/since: its query schema cannot be written as JSON Schema: .*Date/) }))
  })

  it('refuses a router that cannot list its routes', async () => {
    const bare = defineComponent({
      name: 'router/bare',
      slot: 'router',
      contract: '^1.0',
      register(c) {
        c.value(Router, { add() {}, mount() {}, match: () => ({ kind: 'not-found' }), url: () => '/' })
      },
    })
    const app = await createApp({ environment: 'test', components: { router: bare } })
    expect(() => app.openapi()).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OPENAPI_NO_ROUTES' }))
  })
})

describe('security in app.openapi()', () => {
  const secrets = ['openapi-test-secret-0123456789-0123456789']
  const users = new Map([['1', { id: '1', roles: ['admin'] }]])

  async function guardedApp() {
    return createApp({
      environment: 'test',
      components: { 'session-store': memoryStore(), middleware: [sessionMiddleware({ secrets, cookie: { name: 'notes.sid' } }), auth({ loadUser: (id) => users.get(id) })] },
      routes(r) {
        r.get('/public', ok)
        r.get('/account', requireUser(ok))
        r.group('/admin', { use: [requireRole('admin')] }, (admin) => admin.get('/users', ok, { name: 'adminUsers' }))
      },
    })
  }

  it("lists the auth guards' session cookie as a security scheme, with the cookie's configured name", async () => {
    const doc = (await guardedApp()).openapi()
    expect(doc.components!.securitySchemes).toEqual({ session: { type: 'apiKey', in: 'cookie', name: 'notes.sid', description: expect.any(String) } })
    expect((await validate(doc)).valid).toBe(true)
  })

  it('marks the routes a guard is on, whether it wraps the handler or sits in a group, with the refusals it answers', async () => {
    const doc = (await guardedApp()).openapi()
    expect(doc.paths['/account']!.get!.security).toEqual([{ session: [] }])
    expect(Object.keys(doc.paths['/account']!.get!.responses).sort()).toEqual(['401', 'default'])
    expect(doc.paths['/admin/users']!.get!.security).toEqual([{ session: [] }])
    expect(Object.keys(doc.paths['/admin/users']!.get!.responses).sort()).toEqual(['401', '403', 'default'])
    expect(doc.paths['/admin/users']!.get!.responses['403']!.content).toEqual({ 'application/json': { schema: { $ref: '#/components/schemas/Error' } } })
    expect(doc.paths['/public']!.get!.security).toBeUndefined()
  })

  it('marks the object-dispatch actions a guard wraps, with schemas or without', async () => {
    const app = await createApp({
      environment: 'test',
      components: {
        router: objectDispatch({ root: { account: expose(requireUser(ok)), search: expose(requireUser(ok), { schemas: { query: z.object({ q: z.string() }) } }), about: expose(ok) } }),
        'session-store': memoryStore(),
        middleware: [sessionMiddleware({ secrets }), auth({ loadUser: (id) => users.get(id) })],
      },
    })
    const doc = app.openapi()
    expect(doc.paths['/account']!.get!.security).toEqual([{ session: [] }])
    expect(doc.paths['/search']!.get!.security).toEqual([{ session: [] }])
    expect(doc.paths['/about']!.get!.security).toBeUndefined()
  })

  it('takes the security a guard of your own notes with withOpenApi, and refuses two schemes under one name', async () => {
    const key = (name: string): Middleware => withOpenApi<Middleware>(async (_ctx, next) => next(), { security: { name: 'apiKey', scheme: { type: 'apiKey', in: 'header', name } } })
    const one = await createApp({ environment: 'test', routes: (r) => r.get('/reports', ok, { use: [key('x-api-key')] }) })
    expect(one.openapi().components!.securitySchemes).toEqual({ apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } })
    const two = await createApp({ environment: 'test', routes: (r) => r.get('/a', ok, { use: [key('x-api-key')] }).get('/b', ok, { use: [key('x-other-key')] }) })
    expect(() => two.openapi()).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OPENAPI_CONFLICT', message: expect.stringContaining("'apiKey' is defined twice") }))
  })
})

describe('openApiDocument', () => {
  it("documents a router's routes for a component that resolves the Router itself", async () => {
    const app = await notesApp('radix', libraries.zod)
    const doc = openApiDocument(app.resolve(Router), { info: { title: 'Notes', version: '1' }, servers: [{ url: 'https://api.example.com' }] })
    expect(doc).toEqual({ ...app.openapi({ title: 'Notes', version: '1' }), servers: [{ url: 'https://api.example.com' }] })
  })

  it('keeps the error a DovetailError', async () => {
    const app = await createApp({ environment: 'test', routes: (r) => r.get('/since', { schemas: { query: z.object({ from: z.date() }) } }, ok) })
    expect(() => openApiDocument(app.resolve(Router))).toThrow(DovetailError)
  })
})
