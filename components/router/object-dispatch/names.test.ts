import { describe, expect, it } from 'vitest'
import { DovetailError, type Handler } from 'dovetailjs'
import { expose, lookup, ObjectDispatchRouter, type ControllerTree } from 'dovetailjs/components/router/object-dispatch'

const ok: Handler = () => new Response('ok')
const routerOf = (root: ControllerTree) => new ObjectDispatchRouter({ root })

function thrown(fn: () => unknown): DovetailError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  throw new Error('expected a DovetailError, but nothing was thrown')
}

const page = {
  index: [expose(ok, { name: 'page' }), expose(ok, { methods: ['POST'], name: 'page-save' })],
  edit: expose(ok, { name: 'page-edit' }),
  revisions: expose(ok, { params: ['number'], name: 'page-revision' }),
}
const root = {
  index: expose(ok, { name: 'home' }),
  pages: { index: expose(ok, { name: 'pages' }), _lookup: lookup('slug', page) },
  files: { _default: expose(ok, { name: 'file' }) },
  'café menu': expose(ok, { name: 'menu' }),
}

describe('object dispatch: names and url()', () => {
  it('builds the path of a named action from where it sits in the tree', () => {
    const router = routerOf(root)
    expect(router.url('home')).toBe('/')
    expect(router.url('pages')).toBe('/pages')
    expect(router.url('page', { slug: 'FrontPage' })).toBe('/pages/FrontPage')
    expect(router.url('page-save', { slug: 'FrontPage' })).toBe('/pages/FrontPage')
    expect(router.url('page-edit', { slug: 'FrontPage' })).toBe('/pages/FrontPage/edit')
    expect(router.url('page-revision', { slug: 'FrontPage', number: 3 })).toBe('/pages/FrontPage/revisions/3')
  })

  it('encodes parameter values and keys, a slash in a value included', () => {
    const router = routerOf(root)
    expect(router.url('page-edit', { slug: 'a/b c' })).toBe('/pages/a%2Fb%20c/edit')
    expect(router.url('page', { slug: 'é?#' })).toBe('/pages/%C3%A9%3F%23')
    expect(router.url('menu')).toBe('/caf%C3%A9%20menu')
  })

  it("fills a _default's rest from '*', keeping its slashes and encoding each segment", () => {
    const router = routerOf(root)
    expect(router.url('file', { '*': 'docs/read me.txt' })).toBe('/files/docs/read%20me.txt')
    expect(router.url('file')).toBe('/files')
  })

  it('round-trips: the built path dispatches to the action with the same parameters', () => {
    const router = routerOf(root)
    for (const slug of ['a b', 'a/b', '100%', 'ä+ö', '?x=1#y', 'constructor']) {
      const path = router.url('page-revision', { slug, number: 7 })
      expect(router.match('GET', path)).toMatchObject({ kind: 'route', params: { slug, number: '7' } })
    }
    expect(router.match('GET', router.url('menu')).kind).toBe('route')
    expect(router.match('GET', router.url('file', { '*': 'a b/c' }))).toMatchObject({ kind: 'route', params: { '*': 'a b/c' } })
  })

  it('fails with DOVETAIL_ERR_ROUTER_MISSING_PARAM for a missing or empty parameter, naming it', () => {
    const router = routerOf(root)
    expect(thrown(() => router.url('page-revision', { slug: 'x' }))).toMatchObject({ code: 'DOVETAIL_ERR_ROUTER_MISSING_PARAM', message: expect.stringContaining("'number'") })
    expect(thrown(() => router.url('page', { slug: '' })).code).toBe('DOVETAIL_ERR_ROUTER_MISSING_PARAM')
  })

  it('fails with DOVETAIL_ERR_ROUTER_UNKNOWN_NAME listing the names of the tree and of added routes', () => {
    const router = routerOf(root)
    router.add({ methods: ['GET'], path: '/health', handler: ok, name: 'health' })
    const error = thrown(() => router.url('contact'))
    expect(error.code).toBe('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME')
    expect(error.message).toContain('page-edit')
    expect(error.message).toContain('health')
  })

  it('refuses one name at two paths (DOVETAIL_ERR_ROUTER_DUPLICATE_NAME), in the tree and against added routes', () => {
    expect(thrown(() => routerOf({ a: expose(ok, { name: 'x' }), b: expose(ok, { name: 'x' }) }))).toMatchObject({
      code: 'DOVETAIL_ERR_ROUTER_DUPLICATE_NAME',
      message: expect.stringContaining("'x' is used by /a and by /b"),
    })
    const router = routerOf(root)
    expect(thrown(() => router.add({ methods: ['GET'], path: '/elsewhere', handler: ok, name: 'pages' })).code).toBe('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME')
    router.add({ methods: ['DELETE'], path: '/pages', handler: ok, name: 'pages' })
    expect(router.url('pages')).toBe('/pages')
  })

  it('builds the paths of routes added with add() as the radix router does', () => {
    const router = routerOf(root)
    router.add({ methods: ['GET'], path: '/api/items/:id', handler: ok, name: 'item' })
    expect(router.url('item', { id: 'a b' })).toBe('/api/items/a%20b')
  })

  it('refuses a named action that only a hand-written _lookup reaches, at the request that reaches it', () => {
    const router = routerOf({ users: { _lookup: (id: string) => ({ controller: { index: expose(ok, { name: 'user' }) }, remainder: [], params: { id } }) } })
    expect(thrown(() => router.match('GET', '/users/7'))).toMatchObject({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE', message: expect.stringContaining('user') })
    expect(thrown(() => router.url('user')).code).toBe('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME')
  })
})
