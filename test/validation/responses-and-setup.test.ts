import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp, type DovetailConfig, Logger, Router } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import body from 'dovetailjs/components/middleware/body'

/* Response schemas (checked in development only), what a route without schemas costs, and the setup errors. */

const Note = z.object({ id: z.number(), title: z.string() })

async function start(environment: string, answer: unknown) {
  const logged: { obj: unknown; msg: unknown }[] = []
  const logger: Logger = { debug() {}, info() {}, warn() {}, error: (obj: unknown, msg?: unknown) => void logged.push({ obj, msg }), child: () => logger }
  const app = await createApp({
    environment,
    register: (c) => void c.value(Logger, logger),
    routes(r) {
      r.get('/zr-notes/:id', { schemas: { response: { 200: Note } }, name: 'note' }, (ctx) => ctx.json(answer))
    },
  })
  return { client: createTestClient(app), logged }
}

describe('response schemas', () => {
  it('turns a mismatching response into a 500 in development, with a log line naming the route and the field', async () => {
    const { client, logged } = await start('development', { id: '1', title: 'Tea' })
    const res = await client.get('/zr-notes/1')
    expect(res.status).toBe(500)
    const err = (logged[0]!.obj as { err: { code: string; message: string } }).err
    expect(err.code).toBe('DOVETAIL_ERR_VALIDATION_RESPONSE')
    expect(err.message).toContain('Route GET /zr-notes/:id answered 200 with a body that does not match its response schema: id:')
  })

  it('passes a matching response unchanged in development', async () => {
    const { client } = await start('development', { id: 1, title: 'Tea' })
    const res = await client.get('/zr-notes/1')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ id: 1, title: 'Tea' })
  })

  it('does not check responses outside development', async () => {
    const { client, logged } = await start('production', { id: '1' })
    const res = await client.get('/zr-notes/1')
    expect(res.status).toBe(200)
    expect(logged).toEqual([])
  })
})

describe('a route without schemas', () => {
  it('goes to the router with its handler as given: no validation step in front of it', async () => {
    const handler = (ctx: { text(s: string): Response }) => ctx.text('plain')
    const app = await createApp({ environment: 'test', routes: (r) => void r.get('/zr-plain', handler) })
    const [route] = app.resolve(Router).routes!()
    expect(route!.kind === 'route' && route!.handler).toBe(handler)
  })
})

describe('setup errors (DOVETAIL_ERR_VALIDATION_SETUP at startup)', () => {
  const refused = async (routes: DovetailConfig['routes'], withBody = true) => {
    const error = await createApp({ environment: 'test', ...(withBody ? { components: { middleware: [body()] } } : {}), routes }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    )
    expect(error?.code).toBe('DOVETAIL_ERR_VALIDATION_SETUP')
    return error!.message
  }

  it('refuses a schema that is not a Standard Schema', async () => {
    const message = await refused((r) => void r.post('/zr-a', { schemas: { body: { parse() {} } as never } }, (ctx) => ctx.text('x')))
    expect(message).toContain('Route POST /zr-a: schemas.body is not a Standard Schema (standardschema.dev): use a schema of zod 4, valibot 1, arktype 2 or another library that implements it.')
  })

  it('refuses a part that does not exist', async () => {
    const message = await refused((r) => void r.post('/zr-b', { schemas: { form: Note } as never }, (ctx) => ctx.text('x')))
    expect(message).toContain('schemas.form is not a part of a request')
  })

  it('refuses a response key that is not a status', async () => {
    const message = await refused((r) => void r.get('/zr-c', { schemas: { response: { ok: Note } as never } }, (ctx) => ctx.text('x')))
    expect(message).toContain("schemas.response has the key 'ok'")
  })

  it('refuses a body schema on a GET route', async () => {
    const message = await refused((r) => void r.get('/zr-d', { schemas: { body: Note } }, (ctx) => ctx.text('x')))
    expect(message).toContain('a body schema on a route that answers only GET or HEAD')
  })

  it('refuses a body schema when no component reads bodies, naming the fix', async () => {
    const message = await refused((r) => void r.post('/zr-e', { schemas: { body: Note } }, (ctx) => ctx.text('x')), false)
    expect(message).toContain("add 'body' to components.middleware")
  })
})

describe('setup errors of expose()', () => {
  it('names the expose() call and its line for a schema that is not a Standard Schema', async () => {
    const { expose } = await import('dovetailjs/components/router/object-dispatch')
    let error: { code?: string; message?: string } = {}
    try {
      expose((ctx) => ctx.text('x'), { methods: ['POST'], schemas: { body: { parse() {} } as never } })
    } catch (e) {
      error = e as typeof error
    }
    expect(error.code).toBe('DOVETAIL_ERR_VALIDATION_SETUP')
    expect(error.message).toMatch(/^Route POST expose\(\) at .*responses-and-setup\.test\.ts:\d+: schemas\.body is not a Standard Schema/)
  })
})
