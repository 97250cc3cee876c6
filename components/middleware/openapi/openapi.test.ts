import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import * as v from 'valibot'
import { createApp, type DovetailConfig } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import body from 'dovetailjs/components/middleware/body'
import { openapi, type OpenApiMiddlewareOptions } from 'dovetailjs/components/middleware/openapi'
import securityHeaders from 'dovetailjs/components/middleware/security-headers'

const Note = z.object({ id: z.number().int(), title: z.string() })

async function client(options: OpenApiMiddlewareOptions = {}, config: Partial<DovetailConfig> = {}) {
  const app = await createApp({
    environment: 'test',
    components: { middleware: [securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': "'none'" } } }), openapi(options), body()] },
    routes(r) {
      r.get('/notes/:id', { schemas: { params: z.object({ id: z.coerce.number() }), response: { 200: Note } }, name: 'note' }, (ctx) => ctx.json({ id: 1, title: 'a' }))
    },
    ...config,
  })
  return { app, client: createTestClient(app) }
}

const swaggerUi = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json').replace(/package\.json$/, '')

describe('middleware/openapi', () => {
  it('serves app.openapi() with its info at /openapi.json', async () => {
    const { app, client: c } = await client({ info: { title: 'Notes', version: '2.0.0' } })
    const res = await c.get('/openapi.json')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual(app.openapi({ title: 'Notes', version: '2.0.0' }))
  })

  it('serves the reference page at /docs with a policy that lets its own files run', async () => {
    const { client: c } = await client()
    const res = await c.get('/docs')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline';/)
    const html = await res.text()
    expect(html).toContain('<script src="/docs/assets/swagger-ui-bundle.js"></script>')
    expect(html).toContain('<script src="/docs/assets/start.js"></script>')
    const start = await c.get('/docs/assets/start.js')
    expect(start.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await start.text()).toContain('url: "/openapi.json"')
  })

  it('serves the installed swagger-ui-dist files the page loads, with an ETag, and none of its others', async () => {
    const { client: c } = await client()
    const bundle = await c.get('/docs/assets/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('etag')).toBeTruthy()
    expect(await bundle.text()).toBe(readFileSync(`${swaggerUi}swagger-ui-bundle.js`, 'utf8'))
    expect((await c.get('/docs/assets/swagger-ui.css')).status).toBe(200)
    expect((await c.get('/docs/assets/package.json')).status).toBe(404)
    expect((await c.get('/docs/assets/swagger-ui-bundle.js.map')).status).toBe(404)
  })

  it('serves at the paths its options give, and no page with docsPath false', async () => {
    const { client: c } = await client({ path: '/api/spec.json', docsPath: '/api/reference' })
    expect((await c.get('/api/spec.json')).status).toBe(200)
    expect(await (await c.get('/api/reference')).text()).toContain('/api/reference/assets/swagger-ui-bundle.js')
    expect((await c.get('/openapi.json')).status).toBe(404)
    const { client: bare } = await client({ docsPath: false })
    expect((await bare.get('/openapi.json')).status).toBe(200)
    expect((await bare.get('/docs')).status).toBe(404)
  })

  it('passes other methods on to the router', async () => {
    const { client: c } = await client()
    expect((await c.post('/openapi.json')).status).toBe(404)
  })

  it('serves nothing in production unless production is true', async () => {
    const { client: off } = await client({}, { environment: 'production' })
    expect((await off.get('/openapi.json')).status).toBe(404)
    expect((await off.get('/docs')).status).toBe(404)
    const { client: on } = await client({ production: true }, { environment: 'production' })
    expect((await on.get('/openapi.json')).status).toBe(200)
  })

  it('stops the app at startup when a route schema cannot be documented, naming the route', async () => {
    await expect(
      createApp({
        environment: 'test',
        components: { middleware: [openapi(), body()] },
        routes: (r) => r.post('/notes', { schemas: { body: v.object({ title: v.string() }) } }, (ctx) => ctx.json({})),
      }),
    ).rejects.toMatchObject({ code: 'DOVETAIL_ERR_OPENAPI_NO_JSON_SCHEMA', message: expect.stringContaining('Route POST /notes') })
  })

  it('refuses paths that are not one or more URL path segments, and a document path under the page', async () => {
    await expect(createApp({ environment: 'test', components: { middleware: [openapi({ path: 'openapi.json' })] } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('path'),
    })
    await expect(createApp({ environment: 'test', components: { middleware: [openapi({ path: '/docs/openapi.json' })] } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('docsPath'),
    })
  })
})
