import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from './index.js'

/*
 * `dovetail routes` and `dovetail explain` on one app: routes written in
 * app.ts (a named handler, a controller action, a group, r.all, a mount),
 * a middleware component and a config.middleware function.
 */

let tmp: string

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), cwd: tmp })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

// Line numbers matter: the tests read them back.
const appTs = `import { type Context, defineComponent, defineConfig } from 'dovetailjs'
const stamp = defineComponent({ name: 'acme/stamp', slot: 'middleware', contract: '^1.0', middleware: () => (_c, next) => next() })
class NoteController {
  show(ctx: Context) { return ctx.text('note') }
}
function home(ctx: Context) { return ctx.text('home') }
export default defineConfig({
  components: { middleware: [stamp()] },
  middleware: [async function timing(_ctx, next) { return next() }],
  routes(r) {
    r.get('/', home, { name: 'home' })
    r.group('/notes', (notes) => {
      notes.get('/:id', [NoteController, 'show'], { name: 'note' })
      notes.route(['PUT', 'DELETE'], '/:id', (ctx) => ctx.text('changed'))
    })
    r.all('/ping', (ctx) => ctx.text('pong'))
    r.mount('/legacy', async function legacyApp() { return new Response('old') })
  },
})
`

// The object-dispatch router: a controller tree beside a route added in routes(r). Line numbers matter too.
const treeTs = `import { type Context, defineConfig } from 'dovetailjs'
import { expose, lookup, objectDispatch } from 'dovetailjs/components/router/object-dispatch'
class PageController {
  show(ctx: Context) { return ctx.text('page') }
  save(ctx: Context) { return ctx.text('saved') }
}
const page = {
  index: expose({ get: [PageController, 'show'], post: [PageController, 'save'] }, { name: 'page' }),
}
const root = {
  index: expose(function home(ctx: Context) { return ctx.text('home') }, { name: 'home' }),
  pages: { _lookup: lookup('slug', page) },
  files: { _default: expose((ctx) => ctx.text('file')) },
}
export default defineConfig({
  components: { router: objectDispatch({ root }) },
  routes(r) {
    r.get('/health', (ctx) => ctx.text('ok'), { name: 'health' })
  },
})
`

// Middleware on a group and on a route, under an app middleware; with either router (same lines in both).
const scopedTs = (router: 'radix' | 'object-dispatch') => `import { type Context, defineConfig, type Middleware } from 'dovetailjs'
import { objectDispatch } from 'dovetailjs/components/router/object-dispatch'
const requireAdmin: Middleware = (_ctx, next) => next()
async function audit(_ctx: Context, next: () => Promise<Response>) { return next() }
export default defineConfig({
  components: { router: ${router === 'object-dispatch' ? 'objectDispatch({ root: {} })' : "'radix'"} },
  middleware: [async function timing(_ctx, next) { return next() }],
  routes(r) {
    r.get('/', function home(ctx: Context) { return ctx.text('home') })
    r.group('/admin', { use: [requireAdmin] }, (admin) => {
      admin.get('/users', function listUsers(ctx: Context) { return ctx.text('users') })
      admin.delete('/users/:id', function removeUser(ctx: Context) { return ctx.text('gone') }, { use: [audit, (_ctx, next) => next()] })
    })
  },
})
`

// A route with schemas behind a route middleware (the body middleware reads what the body schema checks).
const validatedTs = `import { defineConfig } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import { z } from 'zod'
export default defineConfig({
  components: { middleware: [body()] },
  routes(r) {
    r.post('/notes/:id', { use: [async function audit(_ctx, next) { return next() }], schemas: { params: z.object({ id: z.string() }), body: z.object({ text: z.string() }) } }, function save(ctx) { return ctx.text('saved') })
  },
})
`

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'dovetail-routes-'))
  writeFileSync(join(tmp, 'app.ts'), appTs)
  writeFileSync(join(tmp, 'tree.ts'), treeTs)
  writeFileSync(join(tmp, 'scoped-radix.ts'), scopedTs('radix'))
  writeFileSync(join(tmp, 'scoped-object-dispatch.ts'), scopedTs('object-dispatch'))
  writeFileSync(join(tmp, 'validated.ts'), validatedTs)
})

afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('dovetail routes', () => {
  it('lists each route and mount in the order defined, with its handler and the line that defined it, then the middleware', async () => {
    const result = await cli(['routes'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out.split('\n')).toEqual([
      'method      path        name  handler              defined at',
      'GET         /           home  home                 app.ts:11',
      'GET         /notes/:id  note  NoteController.show  app.ts:13',
      'PUT DELETE  /notes/:id  -     (anonymous)          app.ts:14',
      '*           /ping       -     (anonymous)          app.ts:16',
      '*           /legacy/*   -     mount: legacyApp     app.ts:17',
      '',
      'Every request runs this middleware first, outermost first: acme/stamp → timing.',
      'A GET route also answers HEAD, without the body.',
    ])
  })

  it('prints the same as JSON, each route with the middleware it runs', async () => {
    const result = await cli(['routes', '--json'])
    const report = JSON.parse(result.out) as { routes: Array<Record<string, unknown>>; middleware: unknown }
    expect(report.routes[1]).toEqual({
      kind: 'route',
      methods: ['GET'],
      path: '/notes/:id',
      name: 'note',
      handler: 'NoteController.show',
      source: { file: 'app.ts', line: 13 },
      middleware: ['acme/stamp', 'timing'],
    })
    expect(report.routes[4]).toMatchObject({ kind: 'mount', methods: ['*'], path: '/legacy', handler: 'mount: legacyApp', source: { file: 'app.ts', line: 17 } })
    expect(report.middleware).toEqual([
      { name: 'acme/stamp', from: 'component' },
      { name: 'timing', from: 'config' },
    ])
  })

  it('says so when the router cannot list its routes', async () => {
    writeFileSync(
      join(tmp, 'plain-router.ts'),
      `import { defineComponent, defineConfig, Router } from 'dovetailjs'
const plain = defineComponent({ name: 'acme/plain-router', slot: 'router', contract: '^1.0', register(c) {
  c.singleton(Router, () => ({ add() {}, mount() {}, match: () => ({ kind: 'not-found' as const }), url: () => '/' }))
} })
export default defineConfig({ components: { router: plain } })
`,
    )
    expect(await cli(['routes', '--config', 'plain-router.ts'])).toMatchObject({
      code: 1,
      err: "The router component 'acme/plain-router' cannot list its routes: its Router has no routes() (router contract 1.1). Use one that has, such as the built-in radix.",
    })
  })

  it('refuses a config createApp would refuse, pointing to dovetail check', async () => {
    writeFileSync(join(tmp, 'refused.ts'), "export default { components: { router: false } }\n")
    const result = await cli(['routes', '--config', 'refused.ts'])
    expect(result.code).toBe(1)
    expect(result.err).toContain('refused.ts: createApp would refuse this config: Every app needs a component in the router slot')
    expect(result.err).toContain('Run "dovetail check" to list every problem.')
  })
})

describe('dovetail explain', () => {
  it('names the route a request matches, its decoded parameters, its handler and the middleware before it', async () => {
    const result = await cli(['explain', 'get', '/notes/caf%C3%A9?draft=1'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out.split('\n')).toEqual([
      'GET /notes/caf%C3%A9 matches the route GET /notes/:id.',
      '',
      'name        note',
      'params      id="café"',
      'handler     NoteController.show',
      'defined at  app.ts:13',
      'runs        acme/stamp → timing → handler',
      '',
      'Middleware runs first and may answer by itself (a static file, a CORS preflight, a redirect to log in).',
    ])
  })

  it('says HEAD is answered by the GET route', async () => {
    expect((await cli(['explain', 'HEAD', 'http://example.com/'])).out).toMatch(/^HEAD \/ is answered by the GET route \/, without the body\.\n\nname {8}home\n/)
  })

  it('gives 405 with the Allow list for a path routed under other methods', async () => {
    const result = await cli(['explain', 'POST', '/notes/1'])
    expect(result.out).toContain('POST /notes/1 is answered 405 Method Not Allowed: the path has routes for other methods.\n\nallow  DELETE, GET, HEAD, PUT\nruns   acme/stamp → timing → 405 with Allow: DELETE, GET, HEAD, PUT')
  })

  it('sends a path under a mount to the mounted app, with the path it sees', async () => {
    const result = await cli(['explain', 'PROPFIND', '/legacy/files/a'])
    expect(result.out).toContain('PROPFIND /legacy/files/a goes to the app mounted at /legacy, which sees PROPFIND /files/a.\n\nmount       /legacy/*\nhandler     mount: legacyApp\ndefined at  app.ts:17\nruns        acme/stamp → timing → the mounted app')
  })

  it('gives 404 for a path nothing matches', async () => {
    expect((await cli(['explain', 'GET', '/nothing/here'])).out).toContain('GET /nothing/here is answered 404 Not Found: no route or mount matches the path.\n\nruns  acme/stamp → timing → 404')
  })

  it('prints the same as JSON', async () => {
    const json = JSON.parse((await cli(['explain', 'DELETE', '/notes/7', '--json'])).out) as unknown
    expect(json).toEqual({
      method: 'DELETE',
      path: '/notes/7',
      middleware: ['acme/stamp', 'timing'],
      outcome: 'route',
      route: { methods: ['PUT', 'DELETE'], path: '/notes/:id', name: null, handler: '(anonymous)', source: { file: 'app.ts', line: 14 } },
      params: { id: '7' },
    })
    expect(JSON.parse((await cli(['explain', 'GET', '/legacy', '--json'])).out)).toMatchObject({ outcome: 'mount', mount: { prefix: '/legacy' }, mountedPath: '/' })
    expect(JSON.parse((await cli(['explain', 'GET', '/x', '--json'])).out)).toMatchObject({ outcome: 'not-found', status: 404 })
  })

  it('refuses a call without a method and a URL, with usage', async () => {
    expect(await cli(['explain', '/notes'])).toMatchObject({ code: 2, err: expect.stringContaining('dovetail explain takes a method and a URL') })
    expect(await cli(['explain', 'G-T', '/'])).toMatchObject({ code: 2, err: expect.stringContaining("'G-T' is not an HTTP method") })
    expect(await cli(['explain', 'GET', 'notes'])).toMatchObject({ code: 2, err: expect.stringContaining("'notes' is not a path or an http(s) URL") })
    expect(await cli(['explain', '--help'])).toMatchObject({ code: 0, out: expect.stringContaining('Usage: dovetail explain <method> <url>') })
  })
})

describe('dovetail routes and explain with the object-dispatch router', () => {
  it('lists the controller tree, each action with its pattern and the line of its expose(), then the routes added in routes(r)', async () => {
    const result = await cli(['routes', '--config', 'tree.ts'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out.split('\n')).toEqual([
      'method  path          name    handler              defined at',
      'GET     /             home    home                 tree.ts:11',
      'GET     /pages/:slug  page    PageController.show  tree.ts:8',
      'POST    /pages/:slug  page    PageController.save  tree.ts:8',
      'GET     /files/*      -       (anonymous)          tree.ts:13',
      'GET     /health       health  (anonymous)          tree.ts:18',
      '',
      'No middleware: the router answers every request directly.',
      'A GET route also answers HEAD, without the body.',
    ])
  })

  it('names the action of the tree a request reaches, its parameters and its line', async () => {
    const result = await cli(['explain', 'POST', '/pages/Front%20Page', '--config', 'tree.ts'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out.split('\n')).toEqual([
      'POST /pages/Front%20Page matches the route POST /pages/:slug.',
      '',
      'name        page',
      'params      slug="Front Page"',
      'handler     PageController.save',
      'defined at  tree.ts:8',
      'runs        handler',
    ])
    expect(JSON.parse((await cli(['explain', 'GET', '/files/a/b.txt', '--config', 'tree.ts', '--json'])).out)).toMatchObject({
      outcome: 'route',
      route: { methods: ['GET'], path: '/files/*', name: null, handler: '(anonymous)', source: { file: 'tree.ts', line: 13 } },
      params: { '*': 'a/b.txt' },
    })
  })
})

describe.each(['radix', 'object-dispatch'])('dovetail routes and explain with middleware on a group or a route (%s router)', (router) => {
  const config = `scoped-${router}.ts`

  it("lists each route's own middleware after the app's", async () => {
    const result = await cli(['routes', '--config', config])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out.split('\n').slice(-6)).toEqual([
      '',
      'Every request runs this middleware first, outermost first: timing.',
      "Routes with their own middleware (a group's or the route's use) run it next, before the handler:",
      '  GET /admin/users: requireAdmin',
      '  DELETE /admin/users/:id: requireAdmin → audit → (anonymous)',
      'A GET route also answers HEAD, without the body.',
    ])
    expect(result.out).toMatch(/DELETE +\/admin\/users\/:id +- +removeUser +scoped-[\w-]+\.ts:12/)
    const report = JSON.parse((await cli(['routes', '--config', config, '--json'])).out) as { routes: Array<Record<string, unknown>> }
    expect(report.routes.map((r) => r.middleware)).toEqual([['timing'], ['timing', 'requireAdmin'], ['timing', 'requireAdmin', 'audit', '(anonymous)']])
  })

  it('puts the group and route middleware between the app middleware and the handler', async () => {
    const result = await cli(['explain', 'DELETE', '/%61dmin/users/7', '--config', config])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toContain('DELETE /admin/users/7 matches the route DELETE /admin/users/:id.')
    expect(result.out).toContain(`handler     removeUser\ndefined at  ${config}:12\nruns        timing → requireAdmin → audit → (anonymous) → handler`)
    expect(JSON.parse((await cli(['explain', 'GET', '/admin/users', '--config', config, '--json'])).out)).toMatchObject({ middleware: ['timing', 'requireAdmin'], route: { handler: 'listUsers' } })
    expect((await cli(['explain', 'GET', '/', '--config', config])).out).toContain('runs        timing → handler')
  })
})

describe('dovetail explain with route schemas', () => {
  it('puts the validation of the parts a route checks after its middleware, before the handler', async () => {
    const result = await cli(['explain', 'POST', '/notes/7', '--config', 'validated.ts'])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toContain('runs        middleware/body → audit → validation (params, body) → handler')
    const json = JSON.parse((await cli(['explain', 'POST', '/notes/7', '--config', 'validated.ts', '--json'])).out) as { route: { validates: string[] } }
    expect(json.route.validates).toEqual(['params', 'body'])
  })
})
