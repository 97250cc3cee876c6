import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createApp, HttpError, type Middleware, normalizePath, type PathRules } from 'dovetailjs'
import radix, { RadixRouter } from 'dovetailjs/components/router/radix'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'

// Properties of the one path normalisation (docs/router.md#paths), for
// arbitrary raw paths under every combination of the router's path rules:
// it never throws but its documented 400, it is idempotent and a fixed point
// of URL parsing, and the router's decision on the normalised path is the
// guard's view of it.

/** Pieces an attacker strings together: encodings of /admin's letters, dots, slashes, escapes good and bad. */
const piece = fc.constantFrom(
  '/', '//', 'admin', 'ADMIN', 'Admin', 'a', 'd', 'm', 'i', 'n', '%61', '%41', '%64', '%6d', '%6D', '%69', '%6E', '%6e',
  '.', '..', '%2e', '%2E', '%2f', '%2F', 'kb', 'KB', '%6B', '%5c', '%5C', '\\', ';', '..;', '%00', '%0a', '%7f', '%', '%z', '%4', '%25',
  '%C3%A9', '%c3%a9', 'é', '%E2%84%AA', '\u212a', 'K', 'k', 'b', '%C4%B0', '\u0130', '%C0%AF', '%FF', ' ', '|', '~', '%7e',
  '%7E', '+', '@', ':', '\u0000', '\u0001', '\ud800', '😀', 'tools', 'public', '*', '?', '#',
)
/** Every spelling of one letter: as is, the other case, escaped in either hex case; k also as the Kelvin sign. */
function spellings(letter: string): string[] {
  const code = letter.charCodeAt(0).toString(16)
  const upper = letter.toUpperCase()
  const kelvin = letter === 'k' ? ['\u212a', '%E2%84%AA', '%e2%84%aa'] : []
  return [letter, upper, `%${code}`, `%${code.toUpperCase()}`, `%${upper.charCodeAt(0).toString(16)}`, ...kelvin]
}
/** A guarded prefix spelled some way, after a lead-in that may hide it (dot segments, doubled slashes), then more pieces. */
const nearGuarded = fc
  .tuple(
    fc.constantFrom('/', '//', '/./', '/x/../', '/x/%2e%2E/', '/%2e/', '/..;/'),
    fc.constantFrom('admin', 'kb').chain((word) => fc.tuple(...word.split('').map((letter) => fc.constantFrom(...spellings(letter))))),
    fc.array(piece, { maxLength: 6 }),
  )
  .map(([lead, letters, rest]) => `${lead}${letters.join('')}${rest.join('')}`)
const rawPath = fc.oneof(
  nearGuarded,
  fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`),
  fc.string({ maxLength: 40 }).map((s) => `/${s}`),
  fc.string({ maxLength: 20 }),
)
const rules = fc.record({ caseSensitive: fc.boolean(), ignoreDuplicateSlashes: fc.boolean(), ignoreTrailingSlash: fc.boolean() })

/** The normalised path, or undefined when normalisation refused it with its documented 400. */
function normalised(raw: string, pathRules: PathRules): string | undefined {
  try {
    return normalizePath(raw, pathRules)
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(400)
    expect((error as HttpError).code).toBe('DOVETAIL_ERR_PATH_INVALID')
    return undefined
  }
}

/**
 * The guard docs/router.md shows, on two prefixes. `/kb` because a router that
 * folds case after decoding turns the Kelvin sign (`%E2%84%AA`) into an ASCII `k`.
 */
const guarded = ['/admin', '/kb']
const underAdmin = (path: string) => guarded.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))

const admin = () => new Response('admin')
const other = () => new Response('other')

function routerFor(pathRules: PathRules): RadixRouter {
  const router = new RadixRouter(pathRules)
  router.add({ methods: ['GET'], path: '/admin', handler: admin })
  router.add({ methods: ['GET'], path: '/admin/*', handler: admin })
  router.add({ methods: ['GET'], path: '/admin/:section/edit', handler: admin })
  router.mount('/admin/tools', admin)
  router.add({ methods: ['GET'], path: '/kb', handler: admin })
  router.add({ methods: ['GET'], path: '/kb/*', handler: admin })
  router.add({ methods: ['GET'], path: '/kb/:doc/edit', handler: admin })
  router.add({ methods: ['GET'], path: '/*', handler: other })
  router.add({ methods: ['GET'], path: '/public/:file', handler: other })
  router.add({ methods: ['GET'], path: '/:section/admin', handler: other })
  return router
}

describe('normalizePath (fuzz)', () => {
  it(
    'throws nothing but its 400, is idempotent, and survives URL parsing unchanged',
    () => {
      fc.assert(
        fc.property(rawPath, rules, (raw, pathRules) => {
          const path = normalised(raw, pathRules)
          if (path === undefined) return
          expect(path.startsWith('/')).toBe(true)
          expect(normalizePath(path, pathRules)).toBe(path)
          expect(new URL(`http://localhost${path}`).pathname).toBe(path)
        }),
        fuzzParameters(),
      )
    },
    fuzzTimeout(),
  )

  it(
    'routes to a guarded route exactly the paths the guard sees under a guarded prefix',
    () => {
      const routers = new Map<string, RadixRouter>()
      fc.assert(
        fc.property(rawPath, rules, (raw, pathRules) => {
          const path = normalised(raw, pathRules)
          if (path === undefined) return
          const key = JSON.stringify(pathRules)
          if (!routers.has(key)) routers.set(key, routerFor(pathRules))
          const match = routers.get(key)!.match('GET', path)
          const routedToAdmin = (match.kind === 'route' && match.handler === admin) || (match.kind === 'mount' && match.fetch === admin)
          expect(routedToAdmin, `${JSON.stringify(raw)} -> ${JSON.stringify(path)}`).toBe(underAdmin(path))
        }),
        fuzzParameters(),
      )
    },
    fuzzTimeout(),
  )

  it(
    'never lets a request past the docs guard to a guarded handler through app.fetch',
    async () => {
      let adminRan = 0
      const guard: Middleware = async (ctx, next) => (underAdmin(ctx.path) ? ctx.text('Forbidden', { status: 403 }) : next())
      const apps = new Map<string, Awaited<ReturnType<typeof createApp>>>()
      const appFor = async (pathRules: PathRules) => {
        const key = JSON.stringify(pathRules)
        if (!apps.has(key)) {
          const configured = await createApp({
            environment: 'test',
            components: { router: radix(pathRules) },
            middleware: [guard],
            routes: (r) => {
              r.get('/admin', () => (adminRan++, new Response('admin')))
              r.get('/admin/*', () => (adminRan++, new Response('admin')))
              r.get('/kb/*', () => (adminRan++, new Response('admin')))
              r.get('/*', () => new Response('other'))
            },
          })
          apps.set(key, configured)
        }
        return apps.get(key)!
      }
      try {
        await fc.assert(
          fc.asyncProperty(rawPath, rules, async (raw, pathRules) => {
            let request: Request
            try {
              request = new Request(`http://localhost${raw.startsWith('/') ? raw : `/${raw}`}`)
            } catch {
              return // not a URL at all: no request to send
            }
            const app = await appFor(pathRules)
            const res = await app.fetch(request)
            expect([200, 400, 403, 404]).toContain(res.status)
            expect(adminRan).toBe(0)
          }),
          fuzzParameters(),
        )
      } finally {
        await Promise.all([...apps.values()].map((a) => a.close()))
      }
    },
    fuzzTimeout(),
  )
})
