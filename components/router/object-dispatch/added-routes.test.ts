import { describe, expect, it } from 'vitest'
import { createApp, Logger } from 'dovetailjs'
import { expose, lookup, objectDispatch, ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'
import { createTestClient } from 'dovetailjs/testing'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
const labelled = (label: string) => Object.assign(() => new Response(label), { label })

describe('object dispatch beside routes added with add() and mounts', () => {
  it('matches an added route first, for the methods it declares; the tree answers the others', () => {
    const added = labelled('added')
    const tree = labelled('tree')
    const router = new ObjectDispatchRouter({ root: { pages: { _lookup: lookup('slug', { index: expose({ get: tree, post: tree }) }) } } })
    router.add({ methods: ['GET'], path: '/pages/:id', handler: added })
    expect(router.match('GET', '/pages/7')).toMatchObject({ kind: 'route', handler: added, params: { id: '7' } })
    expect(router.match('POST', '/pages/7')).toMatchObject({ kind: 'route', handler: tree, params: { slug: '7' }, route: { path: '/pages/:slug' } })
  })

  it('lists the methods of both in a 405', () => {
    const router = new ObjectDispatchRouter({ root: { items: expose(labelled('list')) } })
    router.add({ methods: ['DELETE'], path: '/items', handler: labelled('delete') })
    expect(router.match('PUT', '/items')).toEqual({ kind: 'method-not-allowed', allowed: ['DELETE', 'GET', 'HEAD'] })
  })

  it('sends a mount its prefix and everything below, before the tree', () => {
    const legacy = labelled('legacy')
    const router = new ObjectDispatchRouter({ root: { _default: expose(labelled('default')), legacy: { index: expose(labelled('tree')) } } })
    router.mount('/legacy', legacy)
    expect(router.match('GET', '/legacy')).toEqual({ kind: 'mount', fetch: legacy, prefix: '/legacy' })
    expect(router.match('PROPFIND', '/legacy/x')).toMatchObject({ kind: 'mount', fetch: legacy })
    expect(router.match('GET', '/legacyx')).toMatchObject({ kind: 'route', params: { '*': 'legacyx' } })
  })

  it('serves routes(r) and the tree in one app, and a mounted app sees the path without its prefix', async () => {
    const app = await createApp({
      components: { router: objectDispatch({ root: { index: expose((ctx) => ctx.text('tree home')) } }) },
      register: (c) => void c.value(Logger, quiet),
      routes(r) {
        r.get('/health', (ctx) => ctx.text('ok'), { name: 'health' })
        r.mount('/hook', (request) => new Response(new URL(request.url).pathname))
      },
    })
    const client = createTestClient(app)
    expect(await (await client.get('/')).text()).toBe('tree home')
    expect(await (await client.get('/health')).text()).toBe('ok')
    expect(app.url('health')).toBe('/health')
    expect(await (await client.post('/hook/a/b')).text()).toBe('/a/b')
  })
})
