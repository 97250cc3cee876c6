import { describe, expect, it } from 'vitest'
import type { Handler, RouteMatch } from 'dovetailjs'
import { Controller, expose, lookup, ObjectDispatchRouter, type ControllerTree } from 'dovetailjs/components/router/object-dispatch'

// Handlers are compared by identity; these tests only match.
const handler = (label: string): Handler => Object.assign(() => new Response(label), { label })

function matched(router: ObjectDispatchRouter, path: string, method = 'GET') {
  const match = router.match(method, path)
  if (match.kind !== 'route') throw new Error(`${method} ${path}: expected a route, got ${JSON.stringify(match)}`)
  return { label: (match.handler as Handler & { label: string }).label, params: match.params }
}
const kind = (router: ObjectDispatchRouter, path: string, method = 'GET'): RouteMatch['kind'] => router.match(method, path).kind
const routerOf = (root: ControllerTree) => new ObjectDispatchRouter({ root })

describe('object dispatch: keys are path segments', () => {
  const root = {
    index: expose(handler('home')),
    about: expose(handler('about')),
    pages: {
      index: expose(handler('pages')),
      edit: expose(handler('pages.edit')),
      archive: { old: expose(handler('pages.archive.old')) },
    },
  }

  it('answers / with the root index and /pages/edit with root.pages.edit', () => {
    const router = routerOf(root)
    expect(matched(router, '/').label).toBe('home')
    expect(matched(router, '/about').label).toBe('about')
    expect(matched(router, '/pages/edit').label).toBe('pages.edit')
    expect(matched(router, '/pages/archive/old').label).toBe('pages.archive.old')
  })

  it("answers a controller's own path with its index", () => {
    expect(matched(routerOf(root), '/pages').label).toBe('pages')
  })

  it('answers 404 for a controller without index, extra segments after an action, and missing keys', () => {
    const router = routerOf(root)
    expect(kind(router, '/pages/archive')).toBe('not-found')
    expect(kind(router, '/about/more')).toBe('not-found')
    expect(kind(router, '/pages/edit/3')).toBe('not-found')
    expect(kind(router, '/nothing')).toBe('not-found')
    expect(kind(routerOf({}), '/')).toBe('not-found')
  })

  it('is strict about slashes: a trailing slash or an empty segment matches nothing', () => {
    const router = routerOf(root)
    expect(kind(router, '/pages/')).toBe('not-found')
    expect(kind(router, '//pages')).toBe('not-found')
    expect(kind(router, '/pages//edit')).toBe('not-found')
  })

  it('decodes each segment on its own: keys match their encoded form, %2F stays inside a segment', () => {
    const router = routerOf({ café: expose(handler('café')), 'a b': expose(handler('space')), 'a/b': expose(handler('slash')), a: { b: expose(handler('a.b')) } })
    expect(matched(router, '/caf%C3%A9').label).toBe('café')
    expect(matched(router, '/café').label).toBe('café')
    expect(matched(router, '/a%20b').label).toBe('space')
    expect(matched(router, '/a%2Fb').label).toBe('slash')
    expect(matched(router, '/a/b').label).toBe('a.b')
  })

  it('answers 404 for a badly encoded segment', () => {
    const router = routerOf({ _default: expose(handler('default')) })
    expect(kind(router, '/%ZZ')).toBe('not-found')
    expect(kind(router, '/%E0%A4%A')).toBe('not-found')
  })

  it('answers 404 beyond maxParamLength and maxSegments, before any hook runs', () => {
    let lookups = 0
    const root = { _lookup: (...s: string[]) => (lookups++, { controller: { index: expose(handler('deep')) }, remainder: [], params: { n: String(s.length) } }) }
    const router = new ObjectDispatchRouter({ root, maxParamLength: 5, maxSegments: 3 })
    expect(matched(router, '/a/b/c').label).toBe('deep')
    expect(kind(router, '/a/b/c/d')).toBe('not-found')
    expect(kind(router, '/abcdef')).toBe('not-found')
    expect(lookups).toBe(1)
  })

  it('takes the segments after an action as its params when there are exactly that many', () => {
    const router = routerOf({ pages: { show: expose(handler('show'), { params: ['slug'] }), diff: expose(handler('diff'), { params: ['from', 'to'] }) } })
    expect(matched(router, '/pages/show/Front%20Page')).toEqual({ label: 'show', params: { slug: 'Front Page' } })
    expect(matched(router, '/pages/diff/1/3').params).toEqual({ from: '1', to: '3' })
    expect(kind(router, '/pages/show')).toBe('not-found')
    expect(kind(router, '/pages/show/a/b')).toBe('not-found')
  })

  it('routes the class fields of a Controller instance, never its methods', () => {
    class Admin extends Controller {
      index = expose(handler('admin'))
      users = { index: expose(handler('users')) }
      helper() {
        return handler('helper')
      }
    }
    const router = routerOf({ admin: new Admin() })
    expect(matched(router, '/admin').label).toBe('admin')
    expect(matched(router, '/admin/users').label).toBe('users')
    expect(kind(router, '/admin/helper')).toBe('not-found')
  })
})

describe('object dispatch: _lookup', () => {
  const page = { index: expose(handler('page')), edit: expose(handler('page.edit')) }

  it('lookup(param, controller) takes one segment as a parameter and goes on in the controller', () => {
    const router = routerOf({ pages: { index: expose(handler('list')), _lookup: lookup('slug', page) } })
    expect(matched(router, '/pages/Front%20Page')).toEqual({ label: 'page', params: { slug: 'Front Page' } })
    expect(matched(router, '/pages/a%2Fb/edit')).toEqual({ label: 'page.edit', params: { slug: 'a/b' } })
    expect(matched(router, '/pages').label).toBe('list')
    expect(kind(router, '/pages/x/nothing')).toBe('not-found')
  })

  it('is tried only after the static keys: /pages/new is the key, /pages/newer the lookup', () => {
    const router = routerOf({ pages: { new: expose(handler('new')), _lookup: lookup('slug', page) } })
    expect(matched(router, '/pages/new').label).toBe('new')
    expect(matched(router, '/pages/newer')).toEqual({ label: 'page', params: { slug: 'newer' } })
  })

  it('also when a static key leads to a dead end: /pages/new/edit goes to the lookup', () => {
    const router = routerOf({ pages: { new: expose(handler('new')), _lookup: lookup('slug', page) } })
    expect(matched(router, '/pages/new/edit')).toEqual({ label: 'page.edit', params: { slug: 'new' } })
  })

  it('a hand-written _lookup receives the decoded segments and chooses the controller, remainder and params', () => {
    const seen: string[][] = []
    const years = {
      _lookup(...segments: string[]) {
        seen.push(segments)
        const [year, month, ...remainder] = segments
        if (!/^\d{4}$/.test(year!) || !/^\d{2}$/.test(month ?? '')) return undefined
        return { controller: { index: expose(handler('month')), feed: expose(handler('feed')) }, remainder, params: { year: year!, month: month! } }
      },
      _default: expose(handler('default')),
    }
    const router = routerOf({ archive: years })
    expect(matched(router, '/archive/2024/05')).toEqual({ label: 'month', params: { year: '2024', month: '05' } })
    expect(matched(router, '/archive/2024/05/feed').label).toBe('feed')
    expect(seen).toContainEqual(['2024', '05', 'feed'])
    // Declined: the same controller's _default answers.
    expect(matched(router, '/archive/old%20stuff')).toEqual({ label: 'default', params: { '*': 'old stuff' } })
  })

  it('calls a _lookup method of a Controller subclass with the instance as this', () => {
    class Users extends Controller {
      readonly user = { index: expose(handler('user')) }
      _lookup(id: string, ...remainder: string[]) {
        return /^\d+$/.test(id) ? { controller: this.user, remainder, params: { id } } : undefined
      }
    }
    const router = routerOf({ users: new Users() })
    expect(matched(router, '/users/42')).toEqual({ label: 'user', params: { id: '42' } })
    expect(kind(router, '/users/ann')).toBe('not-found')
  })

  it('when the path under a lookup leads nowhere, the controllers above are tried, deepest first', () => {
    const router = routerOf({
      _default: expose(handler('root default')),
      pages: { _lookup: lookup('slug', { edit: expose(handler('edit')) }), _default: expose(handler('pages default')) },
    })
    expect(matched(router, '/pages/x/edit').label).toBe('edit')
    expect(matched(router, '/pages/x/other')).toEqual({ label: 'pages default', params: { '*': 'x/other' } })
    expect(matched(router, '/elsewhere/y')).toEqual({ label: 'root default', params: { '*': 'elsewhere/y' } })
  })
})

describe('object dispatch: _default', () => {
  it('answers what nothing else does below its controller, the rest of the path decoded in *', () => {
    const router = routerOf({ index: expose(handler('home')), files: { _default: expose(handler('files')) } })
    expect(matched(router, '/files/docs/read%20me.txt')).toEqual({ label: 'files', params: { '*': 'docs/read me.txt' } })
    expect(matched(router, '/files')).toEqual({ label: 'files', params: { '*': '' } })
    expect(matched(router, '/').label).toBe('home')
  })

  it('keeps parameters taken on the way', () => {
    const router = routerOf({ wiki: { _lookup: lookup('space', { _default: expose(handler('rest')) }) } })
    expect(matched(router, '/wiki/dev/a/b').params).toEqual({ space: 'dev', '*': 'a/b' })
  })
})
