import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type App, createApp, defineComponent, type DovetailConfig, HttpError, type Middleware } from 'dovetailjs'
import serveStatic from 'dovetailjs/components/middleware/static'
import radix from 'dovetailjs/components/router/radix'
import node from 'dovetailjs/components/server/node'
import { rawRequest } from '../support/raw-http.js'

// Class 1 of the review: a guard middleware written as docs/router.md shows
// (`ctx.path === prefix || ctx.path.startsWith(prefix + '/')`) must stop every
// request the router would route under that prefix, however the path is
// spelled. Each case is sent twice: through app.fetch (a WHATWG URL parser
// has tidied the path) and as raw bytes on a socket to the node server (it
// has not). Each states the status expected on each channel, and that no
// guarded handler ran and no guarded content came back.

/** Deny a request under any of `prefixes`, as docs/router.md's guard does. */
const guard =
  (prefixes: readonly string[]): Middleware =>
  async (ctx, next) => {
    if (prefixes.some((prefix) => ctx.path === prefix || ctx.path.startsWith(`${prefix}/`))) throw new HttpError(403, 'Admins only')
    return next()
  }

/** How often a guarded handler (route, mounted app) ran. */
const ran = { admin: 0, tools: 0, kb: 0, innerSecret: 0 }
beforeEach(() => {
  for (const key of Object.keys(ran) as (keyof typeof ran)[]) ran[key] = 0
})
const guardedRuns = () => ran.admin + ran.tools + ran.kb + ran.innerSecret

interface Served {
  app: App
  port: number
}
const served: Served[] = []
afterAll(() => Promise.all(served.map((s) => s.app.close())))

async function serve(config: DovetailConfig): Promise<Served> {
  const app = await createApp({ environment: 'test', ...config, components: { server: node(), ...config.components } })
  const { port } = await app.listen({ port: 0 })
  const entry = { app, port }
  served.push(entry)
  return entry
}

interface Case {
  path: string
  /** Status through app.fetch (the path after a WHATWG URL parser). */
  fetch: number
  /** Status as raw bytes to the node server. */
  raw: number
}

/** Send one case both ways and return the two answers. */
async function both(target: Served, path: string): Promise<{ fetch: { status: number; body: string }; raw: { status: number; body: string } }> {
  const viaFetch = await target.app.fetch(new Request(`http://localhost${path}`))
  const viaSocket = await rawRequest(target.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
  return { fetch: { status: viaFetch.status, body: await viaFetch.text() }, raw: { status: viaSocket.status, body: viaSocket.body } }
}

async function expectCase(target: Served, c: Case, secret: RegExp): Promise<void> {
  const answers = await both(target, c.path)
  expect(answers.fetch.status, `app.fetch ${c.path}`).toBe(c.fetch)
  expect(answers.raw.status, `raw socket ${c.path}`).toBe(c.raw)
  expect(answers.fetch.body).not.toMatch(secret)
  expect(answers.raw.body).not.toMatch(secret)
  expect(guardedRuns()).toBe(0)
}

const adminRoutes: DovetailConfig['routes'] = (r) => {
  r.get('/', (ctx) => ctx.text('home'))
  r.get('/admin', (ctx) => (ran.admin++, ctx.text('SECRET admin')))
  r.get('/admin/*', (ctx) => (ran.admin++, ctx.text('SECRET admin')))
  r.get('/kb/:doc', (ctx) => (ran.kb++, ctx.text('SECRET kb')))
  r.mount('/admin/tools', () => (ran.tools++, new Response('SECRET tools')))
  r.get('/public/:file', (ctx) => ctx.json({ file: ctx.params.file, path: ctx.path, urlPath: new URL(ctx.request.url).pathname }))
}

describe('paths: a guard on /admin and the default (strict) router agree on every spelling', () => {
  let target: Served
  beforeAll(async () => {
    target = await serve({ middleware: [guard(['/admin', '/kb'])], routes: adminRoutes })
  })

  const cases: Case[] = [
    { path: '/admin', fetch: 403, raw: 403 },
    { path: '/admin/', fetch: 403, raw: 403 },
    { path: '/admin/users', fetch: 403, raw: 403 },
    { path: '/%61dmin', fetch: 403, raw: 403 },
    { path: '/%61%64%6D%69%6E/users', fetch: 403, raw: 403 },
    { path: '/adm%69n', fetch: 403, raw: 403 },
    { path: '/admin?x=1', fetch: 403, raw: 403 },
    { path: '/admin#fragment', fetch: 403, raw: 403 },
    { path: '/admin/..;/x', fetch: 403, raw: 403 },
    // Case and duplicate slashes count with the default router: neither the guard nor the router sees /admin.
    { path: '/ADMIN', fetch: 404, raw: 404 },
    { path: '/%41dmin', fetch: 404, raw: 404 },
    { path: '//admin', fetch: 404, raw: 404 },
    { path: '/x/..;/admin', fetch: 404, raw: 404 },
    { path: '/admin;jsessionid=1', fetch: 404, raw: 404 },
    // Dot segments: a URL parser resolves them (to /admin, then guarded); raw ones are refused.
    { path: '/public/../admin', fetch: 403, raw: 400 },
    { path: '/public/%2e%2e/admin', fetch: 403, raw: 400 },
    { path: '/public/.%2E/admin', fetch: 403, raw: 400 },
    { path: '/./admin', fetch: 403, raw: 400 },
    { path: '/admin/./users', fetch: 403, raw: 400 },
    { path: '/admin/%2e%2e', fetch: 200, raw: 400 },
    // An encoded slash is never a separator, for the guard or the router.
    { path: '/admin%2F', fetch: 404, raw: 404 },
    { path: '/admin%2fusers', fetch: 404, raw: 404 },
    { path: '/%2Fadmin', fetch: 404, raw: 404 },
    { path: '/%5Cadmin', fetch: 404, raw: 404 },
    // A raw backslash: a URL parser makes it a slash (//admin, strict: 404); raw, it is refused.
    { path: '/\\admin', fetch: 404, raw: 400 },
    // Malformed escapes, encoded control characters, bytes that are not UTF-8.
    { path: '/admin%00', fetch: 400, raw: 400 },
    { path: '/ad%0Amin', fetch: 400, raw: 400 },
    { path: '/admin%7F', fetch: 400, raw: 400 },
    { path: '/admin%', fetch: 400, raw: 400 },
    { path: '/%zzadmin', fetch: 400, raw: 400 },
    { path: '/adm%6', fetch: 400, raw: 400 },
    { path: '/%C0%AFadmin', fetch: 400, raw: 400 },
    { path: '/admin/%FF', fetch: 400, raw: 400 },
    // Look-alikes are other paths.
    { path: '/adm%C4%B1n', fetch: 404, raw: 404 },
    // The mounted app under /admin is guarded like the routes.
    { path: '/admin/tools', fetch: 403, raw: 403 },
    { path: '/admin/tools/run', fetch: 403, raw: 403 },
    { path: '/%61dmin/%74ools/run', fetch: 403, raw: 403 },
    // The second guarded prefix.
    { path: '/kb/doc', fetch: 403, raw: 403 },
    { path: '/%6Bb/doc', fetch: 403, raw: 403 },
    { path: '/KB/doc', fetch: 404, raw: 404 },
  ]

  it.each(cases)('$path answers $fetch through app.fetch and $raw on a raw socket; no guarded handler runs', async (c) => {
    await expectCase(target, c, /SECRET/)
  })

  it('raw control bytes and a NUL in the request line are refused with 400 before the app', async () => {
    for (const path of ['/admin\x00', '/ad\x01min', '/admin\x7f']) {
      const res = await rawRequest(target.port, `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
      expect(res.status, JSON.stringify(path)).toBe(400)
      expect(res.body).not.toMatch(/SECRET/)
    }
    expect(guardedRuns()).toBe(0)
  })

  it('shows the handler one form: ctx.path, the path of ctx.request.url and the route match agree', async () => {
    for (const spelling of ['/public/%7euser%2fx', '/public/%7Euser%2Fx', '/%70ublic/~user%2fx']) {
      const answers = await both(target, spelling)
      for (const answer of [answers.fetch, answers.raw]) {
        expect(answer.status, spelling).toBe(200)
        expect(JSON.parse(answer.body)).toEqual({ file: '~user/x', path: '/public/~user%2Fx', urlPath: '/public/~user%2Fx' })
      }
    }
  })

  it('answers an unguarded route as usual', async () => {
    const answers = await both(target, '/public/report')
    expect(answers.fetch.status).toBe(200)
    expect(answers.raw.status).toBe(200)
  })
})

describe('paths: with caseSensitive false and slashes ignored, the guard sees the folded path the router matches', () => {
  let target: Served
  beforeAll(async () => {
    target = await serve({
      components: { router: radix({ caseSensitive: false, ignoreDuplicateSlashes: true, ignoreTrailingSlash: true }) },
      middleware: [guard(['/admin', '/kb'])],
      routes: adminRoutes,
    })
  })

  const cases: Case[] = [
    { path: '/ADMIN', fetch: 403, raw: 403 },
    { path: '/Admin/', fetch: 403, raw: 403 },
    { path: '/%41DMIN/users', fetch: 403, raw: 403 },
    { path: '//admin', fetch: 403, raw: 403 },
    { path: '//ADMIN//users/', fetch: 403, raw: 403 },
    { path: '/admin///', fetch: 403, raw: 403 },
    { path: '/ADMIN/TOOLS/run', fetch: 403, raw: 403 },
    { path: '/KB/doc', fetch: 403, raw: 403 },
    // The Kelvin sign lower-cases to an ASCII k: the router would match /kb, so the guard must see /kb.
    { path: '/%E2%84%AAB/doc', fetch: 403, raw: 403 },
  ]

  it.each(cases)('$path answers $fetch through app.fetch and $raw on a raw socket; no guarded handler runs', async (c) => {
    await expectCase(target, c, /SECRET/)
  })

  it('answers an unguarded route as usual, its parameter folded like the rest of the path', async () => {
    const answers = await both(target, '/PUBLIC/Report/')
    for (const answer of [answers.fetch, answers.raw]) {
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({ file: 'report', path: '/public/report', urlPath: '/public/report' })
    }
  })
})

describe('paths: a mounted app receives the normalised path below its prefix', () => {
  let target: Served
  beforeAll(async () => {
    const inner = await createApp({
      environment: 'test',
      middleware: [guard(['/secret'])],
      routes: (r) => {
        r.get('/secret', (ctx) => (ran.innerSecret++, ctx.text('SECRET inner')))
        r.get('/echo/*', (ctx) => ctx.json({ path: ctx.path, urlPath: new URL(ctx.request.url).pathname }))
      },
    })
    served.push({ app: inner, port: 0 })
    target = await serve({ routes: (r) => r.mount('/reports', inner.fetch) })
  })

  const cases: Case[] = [
    { path: '/reports/secret', fetch: 403, raw: 403 },
    { path: '/reports/%73ecret', fetch: 403, raw: 403 },
    { path: '/%72eports/secret', fetch: 403, raw: 403 },
    { path: '/reports/x/../secret', fetch: 403, raw: 400 },
    { path: '/reports/x/%2E%2E/secret', fetch: 403, raw: 400 },
    { path: '/reports/SECRET', fetch: 404, raw: 404 },
    { path: '/reports/secret%00', fetch: 400, raw: 400 },
  ]

  it.each(cases)('$path answers $fetch through app.fetch and $raw on a raw socket; the inner guarded handler does not run', async (c) => {
    await expectCase(target, c, /SECRET/)
  })

  it('gives the mounted app the same form in its ctx.path and its request URL', async () => {
    const answers = await both(target, '/%72eports/echo/a%7eb%2fc')
    for (const answer of [answers.fetch, answers.raw]) {
      expect(answer.status).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({ path: '/echo/a~b%2Fc', urlPath: '/echo/a~b%2Fc' })
    }
  })
})

describe('paths: the static middleware behind a guard serves nothing guarded and nothing outside its root', () => {
  let target: Served
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dovetail-paths-'))
    const root = join(dir, 'public')
    await mkdir(join(root, 'private'), { recursive: true })
    await writeFile(join(root, 'public.txt'), 'public file')
    await writeFile(join(root, 'private', 'secret.txt'), 'SECRET-FILE')
    await writeFile(join(dir, 'outside.txt'), 'OUTSIDE-FILE')
    // A middleware component, so that the guard runs before the static middleware.
    const privateGuard = defineComponent({
      name: 'test/private-guard',
      slot: 'middleware',
      contract: '^1.0',
      middleware: () => guard(['/static/private']),
    })
    target = await serve({ components: { middleware: [privateGuard, serveStatic({ root, prefix: '/static', fallthrough: false })] } })
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const cases: Case[] = [
    { path: '/static/private/secret.txt', fetch: 403, raw: 403 },
    { path: '/static/%70rivate/secret.txt', fetch: 403, raw: 403 },
    { path: '/%73tatic/private/%73ecret.txt', fetch: 403, raw: 403 },
    { path: '/static/./private/secret.txt', fetch: 403, raw: 400 },
    { path: '/static/x/%2e%2e/private/secret.txt', fetch: 403, raw: 400 },
    // What the static middleware refuses on its own: separators inside a segment, empty segments.
    { path: '/static/private%2Fsecret.txt', fetch: 404, raw: 404 },
    { path: '/static/private%5Csecret.txt', fetch: 404, raw: 404 },
    { path: '/static//private/secret.txt', fetch: 404, raw: 404 },
    { path: '/static/PRIVATE/secret.txt', fetch: 404, raw: 404 },
    // Out of the root.
    { path: '/static/%2e%2e/outside.txt', fetch: 404, raw: 400 },
    { path: '/static/..%2Foutside.txt', fetch: 404, raw: 404 },
    { path: '/static/%2e%2e%2foutside.txt', fetch: 404, raw: 404 },
    { path: '/static/..%5Coutside.txt', fetch: 404, raw: 404 },
    { path: '/static/..\\outside.txt', fetch: 404, raw: 400 },
  ]

  it.each(cases)('$path answers $fetch through app.fetch and $raw on a raw socket, without the file', async (c) => {
    await expectCase(target, c, /SECRET-FILE|OUTSIDE-FILE/)
  })

  it('serves a public file, also spelled with escapes', async () => {
    for (const path of ['/static/public.txt', '/%73tatic/%70ublic.txt']) {
      const answers = await both(target, path)
      expect(answers.fetch).toEqual({ status: 200, body: 'public file' })
      expect(answers.raw).toEqual({ status: 200, body: 'public file' })
    }
  })
})
