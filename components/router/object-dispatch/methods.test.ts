import { describe, expect, it } from 'vitest'
import { createApp, type DovetailConfig, DovetailError, Logger } from 'dovetailjs'
import { expose, lookup, objectDispatch, ObjectDispatchRouter, type ControllerTree } from 'dovetailjs/components/router/object-dispatch'
import { createTestClient } from 'dovetailjs/testing'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

async function clientFor(root: ControllerTree, config: DovetailConfig = {}) {
  const app = await createApp({ ...config, components: { router: objectDispatch({ root }) }, register: (c) => void c.value(Logger, quiet) })
  return createTestClient(app)
}

const text = (body: string) => expose((ctx) => ctx.text(body))

describe('object dispatch: methods', () => {
  it('answers GET only, by default, and HEAD from it with the length the body would have and no body', async () => {
    const client = await clientFor({ about: text('about us') })
    expect(await (await client.get('/about')).text()).toBe('about us')
    const head = await client.head('/about')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('8')
    expect(await head.text()).toBe('')
    const post = await client.post('/about')
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
  })

  it('routes each method of a per-method object to its handler, and 405 lists them sorted', async () => {
    const client = await clientFor({
      login: expose({ get: (ctx) => ctx.text('form'), post: (ctx) => ctx.text('checked'), DELETE: (ctx) => ctx.text('gone') }),
    })
    expect(await (await client.get('/login')).text()).toBe('form')
    expect(await (await client.post('/login')).text()).toBe('checked')
    expect(await (await client.delete('/login')).text()).toBe('gone')
    const put = await client.put('/login')
    expect(put.status).toBe(405)
    expect(put.headers.get('allow')).toBe('DELETE, GET, HEAD, POST')
  })

  it('gives one handler several methods with the methods option', async () => {
    const client = await clientFor({ echo: expose((ctx) => ctx.text(ctx.request.method), { methods: ['GET', 'put', 'PROPFIND'] }) })
    expect(await (await client.put('/echo')).text()).toBe('PUT')
    expect(await (await client.request('PROPFIND', '/echo')).text()).toBe('PROPFIND')
    expect((await client.patch('/echo')).headers.get('allow')).toBe('GET, HEAD, PROPFIND, PUT')
  })

  it('prefers a HEAD handler over GET for HEAD', () => {
    const get = () => new Response('get')
    const head = () => new Response(null, { headers: { 'x-head': '1' } })
    const router = new ObjectDispatchRouter({ root: { page: expose({ get, head }) } })
    expect(router.match('HEAD', '/page')).toMatchObject({ kind: 'route', handler: head })
    expect(router.match('POST', '/page')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'HEAD'] })
  })

  it('merges a list of actions at one key, each with its own methods and name', async () => {
    const client = await clientFor({
      pages: {
        index: [expose((ctx) => ctx.text(ctx.url('page-create')), { name: 'pages' }), expose((ctx) => ctx.text('created'), { methods: ['POST'], name: 'page-create' })],
      },
    })
    expect(await (await client.get('/pages')).text()).toBe('/pages')
    expect(await (await client.post('/pages')).text()).toBe('created')
  })

  it('answers 405 for a method the tree has never heard of, with the path under a lookup', async () => {
    const client = await clientFor({ pages: { _lookup: lookup('slug', { index: text('page') }) } })
    const brew = await client.request('BREW', '/pages/tea')
    expect(brew.status).toBe(405)
    expect(brew.headers.get('allow')).toBe('GET, HEAD')
  })

  it('answers 404 for a path the tree does not have, whatever the method', async () => {
    const client = await clientFor({ index: text('home') })
    expect((await client.get('/nowhere')).status).toBe(404)
    expect((await client.post('/nowhere')).status).toBe(404)
  })

  it("answers 405 rather than falling through to a _default when the path's action lacks the method", async () => {
    const client = await clientFor({ login: text('form'), _default: text('anything') })
    expect((await client.post('/login')).status).toBe(405)
    expect((await client.post('/other')).status).toBe(405)
    expect(await (await client.get('/other')).text()).toBe('anything')
  })
})

describe('expose() refuses what cannot be routed, with DOVETAIL_ERR_ROUTER_INVALID_ROUTE', () => {
  class Pages {
    show() {
      return new Response('x')
    }
  }
  const cases: [string, () => unknown, string][] = [
    ['a controller without the method', () => expose([Pages, 'missing' as never]), "has no method 'missing'"],
    ['the constructor as an action', () => expose([Pages, 'constructor' as never]), "has no method 'constructor'"],
    ["one of Object's methods as an action", () => expose([Pages, 'toString' as never]), "has no method 'toString'"],
    ['a handler that is neither a function nor [Class, method]', () => expose('show' as never), 'a handler must be a function'],
    ['a method name with a space', () => expose(() => new Response(), { methods: ['GET POST'] }), "'GET POST' is not an HTTP method name"],
    ['a method given twice', () => expose({ get: () => new Response(), GET: () => new Response() }), 'GET is given twice'],
    ['methods beside a per-method object', () => expose({ get: () => new Response() }, { methods: ['POST'] }), 'not both'],
    ['an empty per-method object', () => expose({}), 'has no methods'],
    ['a parameter name with a dash', () => expose(() => new Response(), { params: ['page-id'] }), "'page-id'"],
    ['a parameter named twice', () => expose(() => new Response(), { params: ['a', 'a'] }), 'twice'],
    ['an empty name', () => expose(() => new Response(), { name: '' }), 'non-empty'],
  ]
  it.each(cases)('%s', (_title, make, message) => {
    let error: unknown
    try {
      make()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(DovetailError)
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_ROUTER_INVALID_ROUTE', message: expect.stringContaining(message) })
  })
})
