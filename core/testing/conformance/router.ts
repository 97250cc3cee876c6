import { describe, expect, it } from 'vitest'
import { DovetailError } from '../../errors/dovetail-error.js'
import type { FetchHandler } from '../../gateway/fetch-handler.js'
import type { Handler } from '../../pipeline/middleware.js'
import type { StandardSchemaV1 } from '../../component/standard-schema.js'
import type { RouteDefinition, RouteMatch, Router } from '../../slots/router.js'

export interface RouterConformanceOptions {
  /** Shown in the test names, e.g. `'router/radix'`. */
  name: string
  /** A fresh, empty router for each test. */
  createRouter: () => Router
}

// Handlers are compared by identity; they are never called.
const handler = (label: string): Handler => Object.assign(() => new Response(label), { label })
const app = (label: string): FetchHandler => Object.assign(() => new Response(label), { label })

function thrown(fn: () => unknown): DovetailError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  throw new Error('expected a DovetailError, but nothing was thrown')
}

function route(match: RouteMatch): Extract<RouteMatch, { kind: 'route' }> {
  expect(match.kind).toBe('route')
  return match as Extract<RouteMatch, { kind: 'route' }>
}

/**
 * The router slot's contract as a test suite. Every router component runs it;
 * a third-party router proves it can replace the built-in by passing it.
 *
 * @example
 * // test/my-router.test.ts
 * import { runRouterConformance } from 'dovetailjs/testing/conformance'
 * import { MyRouter } from '../src/my-router.js'
 * runRouterConformance({ name: 'router/mine', createRouter: () => new MyRouter() })
 */
export function runRouterConformance({ name, createRouter }: RouterConformanceOptions): void {
  describe(`router conformance: ${name}`, () => {
    describe('methods', () => {
      it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])('routes %s to its handler', (method) => {
        const router = createRouter()
        const h = handler(method)
        router.add({ methods: [method], path: '/things', handler: h })
        expect(route(router.match(method, '/things')).handler).toBe(h)
      })

      it('routes each method of a multi-method route to the same handler', () => {
        const router = createRouter()
        const h = handler('many')
        router.add({ methods: ['GET', 'POST', 'DELETE'], path: '/things', handler: h })
        for (const method of ['GET', 'POST', 'DELETE']) expect(route(router.match(method, '/things')).handler).toBe(h)
      })

      it('keeps handlers of one path apart by method', () => {
        const router = createRouter()
        const list = handler('list')
        const create = handler('create')
        router.add({ methods: ['GET'], path: '/things', handler: list })
        router.add({ methods: ['POST'], path: '/things', handler: create })
        expect(route(router.match('GET', '/things')).handler).toBe(list)
        expect(route(router.match('POST', '/things')).handler).toBe(create)
      })

      it('serves HEAD with the GET route when no HEAD route exists', () => {
        const router = createRouter()
        const h = handler('get')
        router.add({ methods: ['GET'], path: '/page', handler: h })
        expect(route(router.match('HEAD', '/page')).handler).toBe(h)
      })

      it('prefers an explicit HEAD route over the GET route', () => {
        const router = createRouter()
        const get = handler('get')
        const head = handler('head')
        router.add({ methods: ['GET'], path: '/page', handler: get })
        router.add({ methods: ['HEAD'], path: '/page', handler: head })
        expect(route(router.match('HEAD', '/page')).handler).toBe(head)
      })
    })

    describe('parameters', () => {
      it('captures a named parameter', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/users/:id', handler: handler('user') })
        expect(route(router.match('GET', '/users/42')).params).toEqual({ id: '42' })
      })

      it('decodes parameter values', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/:name', handler: handler('name') })
        expect(route(router.match('GET', '/a%20b')).params).toEqual({ name: 'a b' })
        expect(route(router.match('GET', '/caf%C3%A9')).params).toEqual({ name: 'café' })
        expect(route(router.match('GET', '/a%2Fb')).params).toEqual({ name: 'a/b' })
      })

      it('captures several parameters', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/users/:user/posts/:post', handler: handler('post') })
        expect(route(router.match('GET', '/users/ann/posts/7')).params).toEqual({ user: 'ann', post: '7' })
      })

      it('does not match an empty parameter', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/users/:id', handler: handler('user') })
        expect(router.match('GET', '/users/').kind).toBe('not-found')
        expect(router.match('GET', '/users').kind).toBe('not-found')
      })

      it('prefers a static segment over a parameter', () => {
        const router = createRouter()
        const fresh = handler('new')
        const user = handler('user')
        router.add({ methods: ['GET'], path: '/users/:id', handler: user })
        router.add({ methods: ['GET'], path: '/users/new', handler: fresh })
        expect(route(router.match('GET', '/users/new')).handler).toBe(fresh)
        expect(route(router.match('GET', '/users/newer')).handler).toBe(user)
      })

      it("captures the rest of the path with a wildcard '*', decoded, under the key '*'", () => {
        const router = createRouter()
        const h = handler('files')
        router.add({ methods: ['GET'], path: '/files/*', handler: h })
        const match = route(router.match('GET', '/files/docs/a%20b.txt'))
        expect(match.handler).toBe(h)
        expect(match.params).toEqual({ '*': 'docs/a b.txt' })
        expect(route(router.match('GET', '/files/x')).params).toEqual({ '*': 'x' })
      })
    })

    describe('not found and method not allowed', () => {
      it("answers 'not-found' for a path no route has", () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/a', handler: handler('a') })
        expect(router.match('GET', '/b')).toEqual({ kind: 'not-found' })
        expect(router.match('POST', '/b')).toEqual({ kind: 'not-found' })
        expect(createRouter().match('GET', '/')).toEqual({ kind: 'not-found' })
      })

      it("answers 'method-not-allowed' with the sorted allowed methods, HEAD included where GET is routed", () => {
        const router = createRouter()
        router.add({ methods: ['POST'], path: '/items', handler: handler('post') })
        router.add({ methods: ['GET'], path: '/items', handler: handler('get') })
        router.add({ methods: ['DELETE'], path: '/items/:id', handler: handler('delete') })
        expect(router.match('PUT', '/items')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'HEAD', 'POST'] })
        expect(router.match('GET', '/items/3')).toEqual({ kind: 'method-not-allowed', allowed: ['DELETE'] })
      })

      it('lists HEAD once when a HEAD route exists beside GET', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/x', handler: handler('get') })
        router.add({ methods: ['HEAD'], path: '/x', handler: handler('head') })
        expect(router.match('POST', '/x')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'HEAD'] })
      })

      it("answers 'method-not-allowed' for a method the router has never heard of", () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/x', handler: handler('get') })
        expect(router.match('BREW', '/x')).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'HEAD'] })
      })
    })

    describe('named routes and url()', () => {
      it('builds the path of a named route, encoding parameter values', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/users/:user/posts/:post', handler: handler('post'), name: 'post' })
        expect(router.url('post', { user: 'a b', post: 7 })).toBe('/users/a%20b/posts/7')
        expect(router.url('post', { user: 'a/b', post: 'é?#' })).toBe('/users/a%2Fb/posts/%C3%A9%3F%23')
      })

      it('builds a static named route without parameters', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/about', handler: handler('about'), name: 'about' })
        expect(router.url('about')).toBe('/about')
      })

      it('round-trips: the built path matches its route with the same parameters', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/tags/:tag', handler: handler('tag'), name: 'tag' })
        // '*' and 'a*b': encodeURIComponent leaves '*' alone, which once let a value's '*' be taken for the wildcard.
        const values = ['a b', 'a/b', '100%', 'ä+ö', '?x=1#y', '*', 'a*b', ':x', '😀']
        for (const tag of values) expect(route(router.match('GET', router.url('tag', { tag }))).params).toEqual({ tag })
      })

      it("round-trips a wildcard value, '*' included", () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/files/*', handler: handler('files'), name: 'files' })
        for (const rest of ['a/b c', 'x*/y*', '😀/é']) {
          expect(route(router.match('GET', router.url('files', { '*': rest }))).params).toEqual({ '*': rest })
        }
      })

      it('fails with DOVETAIL_ERR_ROUTER_INVALID_PARAM for a value no URL can carry (a lone surrogate)', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/tags/:tag', handler: handler('tag'), name: 'tag' })
        // '😀' is two UTF-16 code units; cutting it in half leaves a lone surrogate.
        const error = thrown(() => router.url('tag', { tag: '😀'.slice(0, 1) }))
        expect(error.code).toBe('DOVETAIL_ERR_ROUTER_INVALID_PARAM')
        expect(error.message).toContain("'tag'")
      })

      it("fills a wildcard from the '*' value, keeping its slashes and encoding each segment", () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/files/*', handler: handler('files'), name: 'files' })
        expect(router.url('files', { '*': 'docs/a b.txt' })).toBe('/files/docs/a%20b.txt')
      })

      it('fails with DOVETAIL_ERR_ROUTER_MISSING_PARAM naming the missing parameter', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/users/:user/posts/:post', handler: handler('post'), name: 'post' })
        const error = thrown(() => router.url('post', { user: 'ann' }))
        expect(error.code).toBe('DOVETAIL_ERR_ROUTER_MISSING_PARAM')
        expect(error.message).toContain("'post'")
      })

      it('fails with DOVETAIL_ERR_ROUTER_UNKNOWN_NAME listing the known names', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/', handler: handler('home'), name: 'home' })
        router.add({ methods: ['GET'], path: '/about', handler: handler('about'), name: 'about' })
        const error = thrown(() => router.url('contact'))
        expect(error.code).toBe('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME')
        expect(error.message).toContain('contact')
        expect(error.message).toContain('home')
        expect(error.message).toContain('about')
      })

      it('fails with DOVETAIL_ERR_ROUTER_DUPLICATE_NAME when two paths share a name', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/a', handler: handler('a'), name: 'page' })
        const error = thrown(() => router.add({ methods: ['GET'], path: '/b', handler: handler('b'), name: 'page' }))
        expect(error.code).toBe('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME')
        expect(error.message).toContain('page')
      })

      it('lets the methods of one path share a name', () => {
        const router = createRouter()
        router.add({ methods: ['GET'], path: '/items', handler: handler('list'), name: 'items' })
        router.add({ methods: ['POST'], path: '/items', handler: handler('create'), name: 'items' })
        expect(router.url('items')).toBe('/items')
      })
    })

    describe('mounts', () => {
      it('sends the prefix and everything below it to the mounted fetch handler', () => {
        const router = createRouter()
        const legacy = app('legacy')
        router.mount('/legacy', legacy)
        for (const path of ['/legacy', '/legacy/', '/legacy/anything', '/legacy/a/b/c']) {
          expect(router.match('GET', path)).toEqual({ kind: 'mount', fetch: legacy, prefix: '/legacy' })
        }
      })

      it('sends every method to the mount, including ones outside the common set', () => {
        const router = createRouter()
        const legacy = app('legacy')
        router.mount('/legacy', legacy)
        for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
          expect(router.match(method, '/legacy/x')).toMatchObject({ kind: 'mount', fetch: legacy })
        }
      })

      it('does not treat a path that merely starts with the same letters as inside the mount', () => {
        const router = createRouter()
        router.mount('/legacy', app('legacy'))
        expect(router.match('GET', '/legacyx').kind).toBe('not-found')
        expect(router.match('GET', '/').kind).toBe('not-found')
      })

      it('normalizes a trailing slash on the prefix', () => {
        const router = createRouter()
        router.mount('/old/', app('old'))
        expect(router.match('GET', '/old/page')).toMatchObject({ kind: 'mount', prefix: '/old' })
      })

      it('keeps routes outside the mount', () => {
        const router = createRouter()
        const home = handler('home')
        router.mount('/legacy', app('legacy'))
        router.add({ methods: ['GET'], path: '/', handler: home })
        expect(route(router.match('GET', '/')).handler).toBe(home)
      })
    })

    // Optional since contract 1.1: a router without routes() skips these.
    describe.skipIf(typeof createRouter().routes !== 'function')('routes() (optional, for dovetail routes and explain)', () => {
      it('lists every route and mount in the order they were added, each route as it was defined', () => {
        const router = createRouter()
        const home = handler('home')
        const page = handler('page')
        const legacy = app('legacy')
        router.add({ methods: ['GET'], path: '/', handler: home, name: 'home', source: '/srv/app/app.ts:3' })
        router.mount('/legacy/', legacy, { source: '/srv/app/app.ts:4' })
        router.add({ methods: ['GET', 'POST'], path: '/pages/:slug', handler: page })
        expect(router.routes!()).toEqual([
          { kind: 'route', methods: ['GET'], path: '/', handler: home, name: 'home', source: '/srv/app/app.ts:3' },
          { kind: 'mount', path: '/legacy', fetch: legacy, source: '/srv/app/app.ts:4' },
          expect.objectContaining({ kind: 'route', methods: ['GET', 'POST'], path: '/pages/:slug', handler: page }),
        ])
      })

      it('names the route that matched, as routes() lists it, also for HEAD answered by GET', () => {
        const router = createRouter()
        const shared = handler('shared')
        router.add({ methods: ['GET'], path: '/a/:id', handler: shared })
        router.add({ methods: ['GET'], path: '/b/:id', handler: shared })
        const [a, b] = router.routes!()
        expect(route(router.match('GET', '/b/1')).route).toBe(b)
        expect(route(router.match('HEAD', '/a/1')).route).toBe(a)
      })

      it('hands back a route\'s schemas and docs as they were given (contract 1.2)', () => {
        const router = createRouter()
        const body: StandardSchemaV1 = { '~standard': { version: 1, vendor: 'conformance', validate: (value) => ({ value }) } }
        const schemas = { body, response: { 201: body } }
        const docs = { summary: 'Create a note', description: 'Longer text.', tags: ['notes'], deprecated: true }
        router.add({ methods: ['POST'], path: '/notes', handler: handler('create'), name: 'createNote', schemas, docs })
        const [listed] = router.routes!()
        expect(listed).toMatchObject({ kind: 'route', path: '/notes', name: 'createNote' })
        expect((listed as RouteDefinition).schemas).toBe(schemas)
        expect((listed as RouteDefinition).docs).toEqual(docs)
        expect(route(router.match('POST', '/notes')).route).toBe(listed)
      })

      it('reads a source given as a getter only when asked', () => {
        const router = createRouter()
        let reads = 0
        router.add({
          methods: ['GET'],
          path: '/',
          handler: handler('home'),
          get source() {
            reads++
            return '/srv/app/app.ts:9'
          },
        })
        router.match('GET', '/')
        expect(reads).toBe(0)
        expect(router.routes!()[0]!.source).toBe('/srv/app/app.ts:9')
      })
    })

    describe('invalid definitions', () => {
      it('rejects a path that does not start with / (DOVETAIL_ERR_ROUTER_INVALID_ROUTE)', () => {
        const error = thrown(() => createRouter().add({ methods: ['GET'], path: 'about', handler: handler('x') }))
        expect(error.code).toBe('DOVETAIL_ERR_ROUTER_INVALID_ROUTE')
        expect(error.message).toContain('about')
      })

      it('rejects a mount prefix that does not start with / or is / itself', () => {
        expect(thrown(() => createRouter().mount('legacy', app('x'))).code).toBe('DOVETAIL_ERR_ROUTER_INVALID_ROUTE')
        expect(thrown(() => createRouter().mount('/', app('x'))).code).toBe('DOVETAIL_ERR_ROUTER_INVALID_ROUTE')
      })
    })
  })
}
