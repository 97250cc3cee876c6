import { describe, expect, it } from 'vitest'
import { createApp, DovetailError } from 'dovetailjs'
import { RadixRouter } from 'dovetailjs/components/router/radix'
import radix from 'dovetailjs/components/router/radix'

const h = () => new Response('ok')

describe('RadixRouter options', () => {
  it('is strict about trailing slashes by default, lenient with ignoreTrailingSlash', () => {
    const strict = new RadixRouter()
    strict.add({ methods: ['GET'], path: '/a', handler: h })
    expect(strict.match('GET', '/a/').kind).toBe('not-found')
    const lenient = new RadixRouter({ ignoreTrailingSlash: true })
    lenient.add({ methods: ['GET'], path: '/a', handler: h })
    expect(lenient.match('GET', '/a/').kind).toBe('route')
  })

  it('is case-sensitive by default, insensitive with caseSensitive: false', () => {
    const strict = new RadixRouter()
    strict.add({ methods: ['GET'], path: '/About', handler: h })
    expect(strict.match('GET', '/about').kind).toBe('not-found')
    const lenient = new RadixRouter({ caseSensitive: false })
    lenient.add({ methods: ['GET'], path: '/About', handler: h })
    expect(lenient.match('GET', '/about').kind).toBe('route')
  })

  it('answers not-found for a parameter longer than maxParamLength', () => {
    const router = new RadixRouter({ maxParamLength: 10 })
    router.add({ methods: ['GET'], path: '/p/:id', handler: h })
    expect(router.match('GET', '/p/0123456789').kind).toBe('route')
    expect(router.match('GET', '/p/0123456789a').kind).toBe('not-found')
  })

  it('rejects a mount prefix with a parameter, since the prefix is cut off by its length', () => {
    const error = (() => {
      try {
        new RadixRouter().mount('/t/:tenant', h)
      } catch (e) {
        return e as DovetailError
      }
    })()
    expect(error?.code).toBe('DOVETAIL_ERR_ROUTER_INVALID_ROUTE')
    expect(error?.message).toContain('/t/:tenant')
  })

  it('rejects a mount prefix with empty, . or .. segments, which no normalised path has', () => {
    for (const prefix of ['/a//b', '/a/./b', '/a/../b']) {
      expect(() => new RadixRouter().mount(prefix, h), prefix).toThrow(/DOVETAIL_ERR_ROUTER_INVALID_ROUTE/)
    }
  })

  it('states its case and slash options as the pathRules the core normalises request paths with', () => {
    expect(new RadixRouter().pathRules).toEqual({ caseSensitive: true, ignoreDuplicateSlashes: false, ignoreTrailingSlash: false })
    expect(new RadixRouter({ caseSensitive: false, ignoreTrailingSlash: true }).pathRules).toEqual({ caseSensitive: false, ignoreDuplicateSlashes: false, ignoreTrailingSlash: true })
  })

  it('reports a route find-my-way refuses as DOVETAIL_ERR_ROUTER_INVALID_ROUTE naming the route', () => {
    const router = new RadixRouter()
    router.add({ methods: ['GET'], path: '/a', handler: h })
    expect(() => router.add({ methods: ['GET'], path: '/a', handler: h })).toThrow(/GET \/a.*DOVETAIL_ERR_ROUTER_INVALID_ROUTE/)
  })

  it('validates its options at boot, naming the option', async () => {
    await expect(createApp({ components: { router: radix({ maxParamLength: 0 }) } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('maxParamLength'),
    })
  })
})

describe('RadixRouter precedence and methods', () => {
  it('matches a route under a mount prefix before the mount, for the route\'s method only', () => {
    const router = new RadixRouter()
    const route = () => new Response('route')
    const mounted = () => new Response('mounted')
    router.mount('/legacy', mounted)
    router.add({ methods: ['GET'], path: '/legacy/new', handler: route })
    expect(router.match('GET', '/legacy/new')).toMatchObject({ kind: 'route', handler: route })
    expect(router.match('POST', '/legacy/new')).toMatchObject({ kind: 'mount', fetch: mounted })
    expect(router.match('GET', '/legacy/old')).toMatchObject({ kind: 'mount', fetch: mounted })
  })

  it('routes WebDAV methods and refuses a method name it does not know, naming it', () => {
    const router = new RadixRouter()
    router.add({ methods: ['PROPFIND'], path: '/dav', handler: h })
    expect(router.match('PROPFIND', '/dav').kind).toBe('route')
    expect(() => router.add({ methods: ['BREW'], path: '/pot', handler: h })).toThrow(/BREW \/pot.*DOVETAIL_ERR_ROUTER_INVALID_ROUTE/)
  })
})
