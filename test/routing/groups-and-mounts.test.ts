import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import radix from 'dovetailjs/components/router/radix'

describe('r.group', () => {
  it('prefixes every route of the group, nested groups included', async () => {
    const app = await createApp({
      environment: 'test',
      routes(r) {
        r.get('/', (ctx) => ctx.text('home'))
        r.group('/api', (api) => {
          api.get('/items', (ctx) => ctx.text('list'), { name: 'items' })
          api.post('/items', (ctx) => ctx.text('create'))
          api.group('/v2/', (v2) => v2.get('/items/:id', (ctx) => ctx.text(`v2 item ${ctx.params.id}`), { name: 'v2.item' }))
        })
      },
    })
    const client = createTestClient(app)
    expect(await (await client.get('/api/items')).text()).toBe('list')
    expect(await (await client.post('/api/items')).text()).toBe('create')
    expect(await (await client.get('/api/v2/items/7')).text()).toBe('v2 item 7')
    expect((await client.get('/items')).status).toBe(404)
    expect(app.url('v2.item', { id: 7 })).toBe('/api/v2/items/7')
  })

  it("treats '' inside a group as the group's own path", async () => {
    const app = await createApp({ environment: 'test', routes: (r) => r.group('/admin', (a) => a.get('', (ctx) => ctx.text('dashboard'))) })
    const client = createTestClient(app)
    expect(await (await client.get('/admin')).text()).toBe('dashboard')
  })
})

/** A fetch app that reports what it was asked. */
async function echoBody(request: Request) {
  const url = new URL(request.url)
  return { method: request.method, path: url.pathname, search: url.search, body: request.body ? await request.text() : null, type: request.headers.get('content-type') }
}

describe('r.mount with another Dovetail app', () => {
  const boot = async () => {
    const legacy = await createApp({
      environment: 'test',
      routes(r) {
        r.get('/', (ctx) => ctx.text('legacy home'))
        r.get('/pages/:slug', (ctx) => ctx.text(`legacy page ${ctx.params.slug} at ${ctx.path}`))
        r.post('/echo', async (ctx) => ctx.json(await echoBody(ctx.request)))
      },
    })
    const app = await createApp({
      environment: 'test',
      routes(r) {
        r.get('/', (ctx) => ctx.text('main home'))
        r.mount('/legacy', legacy.fetch)
      },
    })
    return createTestClient(app)
  }

  it('hands the prefix itself and the paths under it to the mounted app, without the prefix', async () => {
    const client = await boot()
    expect(await (await client.get('/legacy')).text()).toBe('legacy home')
    expect(await (await client.get('/legacy/')).text()).toBe('legacy home')
    expect(await (await client.get('/legacy/pages/about')).text()).toBe('legacy page about at /pages/about')
    expect(await (await client.get('/')).text()).toBe('main home')
  })

  it('passes POST bodies, headers and the query string through', async () => {
    const client = await boot()
    const res = await client.post('/legacy/echo?x=1', { json: { hello: 'world' } })
    expect(await res.json()).toEqual({ method: 'POST', path: '/echo', search: '?x=1', body: '{"hello":"world"}', type: 'application/json' })
  })

  it("lets the mounted app answer its own 404 and 405", async () => {
    const client = await boot()
    expect((await client.get('/legacy/nope')).status).toBe(404)
    const res = await client.delete('/legacy/echo')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('POST')
  })
})

describe('r.mount with a Hono app', () => {
  const boot = async () => {
    const hono = new Hono()
    hono.get('/', (c) => c.text('hono home'))
    hono.get('/hello/:name', (c) => c.text(`hono says hello to ${c.req.param('name')}`))
    hono.post('/echo', async (c) => c.json(await echoBody(c.req.raw)))
    const app = await createApp({
      environment: 'test',
      routes(r) {
        r.get('/', (ctx) => ctx.text('main home'))
        r.group('/x', (x) => x.mount('/hono', hono))
      },
    })
    return createTestClient(app)
  }

  it('sees the path without the prefix', async () => {
    const client = await boot()
    expect(await (await client.get('/x/hono')).text()).toBe('hono home')
    expect(await (await client.get('/x/hono/hello/ann')).text()).toBe('hono says hello to ann')
    expect((await client.get('/x/hono/missing')).status).toBe(404)
  })

  it('receives POST bodies', async () => {
    const client = await boot()
    const res = await client.post('/x/hono/echo', { form: { a: '1', b: 'two words' } })
    expect(await res.json()).toEqual({
      method: 'POST',
      path: '/echo',
      search: '',
      body: 'a=1&b=two+words',
      type: 'application/x-www-form-urlencoded',
    })
  })

  it('answers HEAD without a body', async () => {
    const client = await boot()
    const res = await client.head('/x/hono/hello/ann')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})

describe('mount prefixes under router options', () => {
  it('cuts the prefix from paths the router matched loosely (duplicate slashes, case)', async () => {
    const app = await createApp({
      environment: 'test',
      components: { router: radix({ ignoreDuplicateSlashes: true, caseSensitive: false }) },
      routes: (r) => r.mount('/legacy', (request) => new Response(new URL(request.url).pathname)),
    })
    const fetchPath = async (path: string) => (await app.fetch(new Request(`http://localhost${path}`))).text()
    expect(await fetchPath('//legacy/a/b')).toBe('/a/b')
    expect(await fetchPath('/LEGACY/a')).toBe('/a')
  })
})
