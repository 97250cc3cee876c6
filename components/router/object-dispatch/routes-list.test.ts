import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Context, Handler, RouteInfo, RouteMatch } from 'dovetailjs'
import { Controller, expose, lookup, ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'

const labelled = (label: string): Handler => Object.defineProperty(() => new Response(label), 'name', { value: label })

class PagesController {
  show(ctx: Context) {
    return ctx.text('show')
  }
  save(ctx: Context) {
    return ctx.text('save')
  }
  edit(ctx: Context) {
    return ctx.text('edit')
  }
}

/** Each entry as `dovetail routes` prints it: methods, pattern, name, handler. */
const rows = (list: readonly RouteInfo[]) =>
  list.map((r) => (r.kind === 'mount' ? `mount ${r.path} ${r.fetch.name}` : `${r.methods.join(',')} ${r.path} ${r.name ?? '-'} ${r.handler.name || '(anonymous)'}`))

function matched(match: RouteMatch): Extract<RouteMatch, { kind: 'route' }> {
  expect(match.kind).toBe('route')
  return match as Extract<RouteMatch, { kind: 'route' }>
}

/** The line this is called on, read from the stack as captureCallSite reads it. */
const lineHere = (): number => Number(/:(\d+):\d+\)?$/.exec(new Error().stack!.split('\n')[2]!)![1])

const page = {
  index: [expose([PagesController, 'show'], { name: 'page' }), expose([PagesController, 'save'], { methods: ['POST'], name: 'page-save' })],
  edit: expose({ get: [PagesController, 'edit'], post: [PagesController, 'save'] }, { name: 'page-edit' }),
  revisions: expose(labelled('revision'), { params: ['number'], name: 'page-revision' }),
}

const root = {
  index: expose(labelled('home'), { name: 'home' }),
  pages: { index: expose(labelled('list'), { name: 'pages' }), _lookup: lookup('slug', page), new: expose(labelled('fresh')) },
  feed: expose(labelled('feed'), { methods: ['GET', 'POST'] }),
  files: { _default: expose(labelled('file'), { name: 'file' }) },
  _default: expose(labelled('fallback')),
  about: expose(labelled('about')),
}

describe('routes() of object dispatch', () => {
  it("lists every action of the tree depth first (index, keys in order, lookup(), then _default) with its pattern, methods, name and handler; a controller action as Class.method", () => {
    expect(rows(new ObjectDispatchRouter({ root }).routes())).toEqual([
      'GET / home home',
      'GET /pages pages list',
      'GET /pages/new - fresh',
      'GET /pages/:slug page PagesController.show',
      'POST /pages/:slug page-save PagesController.save',
      'GET /pages/:slug/edit page-edit PagesController.edit',
      'POST /pages/:slug/edit page-edit PagesController.save',
      'GET /pages/:slug/revisions/:number page-revision revision',
      'GET,POST /feed - feed',
      'GET /files/* file file',
      'GET /about - about',
      'GET /* - fallback',
    ])
  })

  it('lists one route for one handler given several methods, also as the same [Class, method] twice', () => {
    const router = new ObjectDispatchRouter({ root: { edit: expose({ get: [PagesController, 'edit'], put: [PagesController, 'edit'], delete: labelled('drop') }) } })
    expect(rows(router.routes())).toEqual(['GET,PUT /edit - PagesController.edit', 'DELETE /edit - drop'])
  })

  it('lists the routes and mounts added with add() and mount() after the tree, in the order added, as they were given', () => {
    const router = new ObjectDispatchRouter({ root: { index: expose(labelled('home')) } })
    const health = labelled('health')
    const legacy = Object.defineProperty(async () => new Response('old'), 'name', { value: 'legacyApp' })
    router.add({ methods: ['GET'], path: '/health', handler: health, name: 'health', source: '/srv/app/app.ts:7' })
    router.mount('/legacy/', legacy, { source: '/srv/app/app.ts:8' })
    const list = router.routes()
    expect(rows(list)).toEqual(['GET / - home', 'GET /health health health', 'mount /legacy legacyApp'])
    expect(list[1]).toEqual({ kind: 'route', methods: ['GET'], path: '/health', handler: health, name: 'health', source: '/srv/app/app.ts:7' })
    expect(list[2]!.source).toBe('/srv/app/app.ts:8')
  })

  it("gives the line of each action's expose() call as its source", () => {
    const [line, action] = [lineHere(), expose(labelled('x'))]
    const [entry] = new ObjectDispatchRouter({ root: { x: action } }).routes()
    expect(entry!.source).toBe(`${fileURLToPath(import.meta.url)}:${line}`)
  })

  it('lists the fields of a Controller instance, not its methods', () => {
    class Admin extends Controller {
      index = expose(labelled('admin'))
      users = { index: expose(labelled('users')) }
      helper() {
        return 'not routed'
      }
    }
    expect(rows(new ObjectDispatchRouter({ root: { admin: new Admin() } }).routes())).toEqual(['GET /admin - admin', 'GET /admin/users - users'])
  })

  it('lists a controller under two keys at both places', () => {
    const shared = { index: expose(labelled('shared')), more: expose(labelled('more')) }
    expect(rows(new ObjectDispatchRouter({ root: { a: shared, b: shared } }).routes())).toEqual(['GET /a - shared', 'GET /a/more - more', 'GET /b - shared', 'GET /b/more - more'])
  })

  it('does not list what a hand-written _lookup leads to, decided per request, nor controllers under _ names', () => {
    const month = { index: expose(labelled('month')) }
    const archive = { index: expose(labelled('years')), _month: month, _lookup: (year: string, m: string, ...remainder: string[]) => ({ controller: month, remainder, params: { year, m } }) }
    expect(rows(new ObjectDispatchRouter({ root: { archive } }).routes())).toEqual(['GET /archive - years'])
  })

  it('is an empty list for an empty tree with nothing added', () => {
    expect(new ObjectDispatchRouter({ root: {} }).routes()).toEqual([])
  })
})

describe('the route match names for object dispatch', () => {
  const router = new ObjectDispatchRouter({ root })
  const listed = (path: string, method: string) => router.routes().find((r) => r.kind === 'route' && r.path === path && r.methods.includes(method))

  it.each([
    ['GET', '/', '/', 'GET'],
    ['GET', '/pages/Front%20Page', '/pages/:slug', 'GET'],
    ['POST', '/pages/Front%20Page', '/pages/:slug', 'POST'],
    ['POST', '/pages/x/edit', '/pages/:slug/edit', 'POST'],
    ['GET', '/pages/x/revisions/3', '/pages/:slug/revisions/:number', 'GET'],
    ['GET', '/pages/new', '/pages/new', 'GET'],
    ['POST', '/feed', '/feed', 'POST'],
    ['GET', '/files/a/b.txt', '/files/*', 'GET'],
    ['GET', '/nowhere/at/all', '/*', 'GET'],
    ['HEAD', '/about', '/about', 'GET'],
  ])('%s %s is the entry routes() lists for %s (%s)', (method, path, pattern, listedMethod) => {
    const entry = listed(pattern, listedMethod)
    expect(entry).toBeDefined()
    const match = matched(router.match(method, path))
    expect(match.route).toBe(entry)
    expect(match.handler).toBe((entry as Extract<RouteInfo, { kind: 'route' }>).handler)
  })

  it('names a HEAD handler of its own, not the GET route', () => {
    const head = labelled('head')
    const r = new ObjectDispatchRouter({ root: { x: expose({ get: labelled('get'), head }) } })
    expect(matched(r.match('HEAD', '/x')).route).toBe(r.routes()[1])
    expect(rows(r.routes())).toEqual(['GET /x - get', 'HEAD /x - head'])
  })

  it('tells apart the places of a controller under two keys', () => {
    const shared = { index: expose(labelled('shared')) }
    const r = new ObjectDispatchRouter({ root: { a: shared, b: { c: shared } } })
    const [a, bc] = r.routes()
    expect(matched(r.match('GET', '/a')).route).toBe(a)
    expect(matched(r.match('GET', '/b/c')).route).toBe(bc)
  })

  it('names an added route as routes() lists it, before the tree', () => {
    const r = new ObjectDispatchRouter({ root: { health: expose(labelled('tree health')) } })
    r.add({ methods: ['GET'], path: '/health', handler: labelled('added health') })
    expect(matched(r.match('GET', '/health')).route).toBe(r.routes()[1])
  })

  it('names no route for an action a hand-written _lookup reached, which still answers', () => {
    const item = labelled('item')
    const r = new ObjectDispatchRouter({ root: { items: { _lookup: (id: string) => ({ controller: { index: expose(item) }, remainder: [], params: { id } }) } } })
    const match = matched(r.match('GET', '/items/7'))
    expect(match).toMatchObject({ handler: item, params: { id: '7' } })
    expect(match.route).toBeUndefined()
  })
})
