import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DovetailError } from 'dovetailjs'
import { RadixRouter } from 'dovetailjs/components/router/radix'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'

// The router sees every request's method and path before any handler does.
// Whatever they are, match() answers with one of its four results and never
// throws; and a parameter value given to url() comes back from match()
// exactly, or the path is refused as too long (maxParamLength).

const maxParamLength = 100
const h = () => new Response('ok')
const mounted = () => new Response('mounted')

function router(): RadixRouter {
  const r = new RadixRouter({ maxParamLength })
  r.add({ methods: ['GET'], path: '/', handler: h, name: 'home' })
  r.add({ methods: ['GET', 'POST'], path: '/pages/:slug', handler: h, name: 'page' })
  r.add({ methods: ['GET'], path: '/users/:id/posts/:post', handler: h, name: 'post' })
  r.add({ methods: ['DELETE'], path: '/users/:id', handler: h, name: 'user' })
  r.add({ methods: ['GET'], path: '/files/*', handler: h, name: 'file' })
  r.add({ methods: ['GET'], path: '/n/:num(^\\d+$)', handler: h, name: 'number' })
  r.add({ methods: ['GET'], path: '/opt/:maybe?', handler: h, name: 'optional' })
  r.add({ methods: ['PUT'], path: '/static/only', handler: h })
  r.mount('/mounted', mounted)
  return r
}
const shared = router()

const methods = fc.oneof(
  fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'CONNECT', 'TRACE', 'get', ''),
  fc.string({ maxLength: 12 }),
)
/** Path-ish text: the characters routing cares about, often, and any other, sometimes. */
const pathChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'/%:*?#.-_~aZ09 +;,='.split('')) },
  { weight: 2, arbitrary: fc.constantFrom('pages', 'users', 'posts', 'files', 'n', 'opt', 'mounted', 'static', '%2F', '%25', '%00', '%E2%82%AC', '%C0%AF', '%ZZ', '..') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
)
const paths = fc.oneof(
  fc.array(pathChar, { maxLength: 40 }).map((parts) => `/${parts.join('')}`),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.nat({ max: 3 * maxParamLength }).map((n) => `/pages/${'a'.repeat(n)}`),
)

describe('the radix router (router/radix), fuzzed', () => {
  it('answers any method and path with route, mount, not-found or method-not-allowed, and never throws', () => {
    fc.assert(
      fc.property(methods, paths, (method, path) => {
        const match = shared.match(method, path)
        expect(['route', 'mount', 'not-found', 'method-not-allowed']).toContain(match.kind)
        if (match.kind === 'route') {
          for (const value of Object.values(match.params)) expect(typeof value).toBe('string')
          for (const [key, value] of Object.entries(match.params)) if (key !== '*') expect(value.length).toBeGreaterThan(0)
        }
        if (match.kind === 'method-not-allowed') expect(match.allowed).not.toContain(method)
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  /** Any text a parameter could hold: code points of every plane, no lone surrogates (a URL cannot carry one). */
  const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 })

  it('gives back from match() exactly the value url() put in a parameter, or refuses it as longer than maxParamLength', () => {
    fc.assert(
      fc.property(value, fc.constantFrom('page', 'user'), (slug, name) => {
        const params: Record<string, string> = name === 'page' ? { slug } : { id: slug }
        const path = shared.url(name, params)
        const match = shared.match(name === 'page' ? 'GET' : 'DELETE', path)
        if (slug.length > maxParamLength) expect(match.kind).toBe('not-found')
        else expect(match).toMatchObject({ kind: 'route', params })
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('round-trips several parameters in one path', () => {
    fc.assert(
      fc.property(value, value, (id, post) => {
        const match = shared.match('GET', shared.url('post', { id, post }))
        if (id.length > maxParamLength || post.length > maxParamLength) expect(match.kind).toBe('not-found')
        else expect(match).toMatchObject({ kind: 'route', params: { id, post } })
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it("round-trips the rest of a path through '*', slashes included", () => {
    const segment = fc.string({ unit: 'grapheme', maxLength: 20 })
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const rest = segments.join('/')
        const match = shared.match('GET', shared.url('file', { '*': rest }))
        expect(match).toMatchObject({ kind: 'route', params: { '*': rest } })
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('refuses, with a DovetailError naming the route, a parameter no URL can carry (a lone surrogate)', () => {
    const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n))
    fc.assert(
      // Whole characters around it, so the surrogate never pairs up with a neighbour.
      fc.property(fc.string({ unit: 'grapheme', maxLength: 10 }), lone, fc.string({ unit: 'grapheme', maxLength: 10 }), (before, surrogate, after) => {
        const slug = `${before}${surrogate}${after}`
        let error: unknown
        try {
          shared.url('page', { slug })
        } catch (e) {
          error = e
        }
        expect(error).toBeInstanceOf(DovetailError)
        expect((error as DovetailError).code).toBe('DOVETAIL_ERR_ROUTER_INVALID_PARAM')
        expect((error as DovetailError).message).toContain("url('page')")
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())
})
