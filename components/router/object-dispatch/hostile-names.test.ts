import { describe, expect, it } from 'vitest'
import { createApp, Logger } from 'dovetailjs'
import { Controller, expose, lookup, objectDispatch, ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'
import { createTestClient } from 'dovetailjs/testing'

// Security: a URL reaches only what expose() made. Every hostile path below must
// answer 404, run nothing on the controllers, and leave Object.prototype alone.

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

function hostileApp() {
  const ran: string[] = []
  const helper = (name: string) => () => {
    ran.push(name)
    return new Response(`leaked ${name}`)
  }
  class Pages extends Controller {
    index = expose((ctx) => ctx.text('pages'))
    _private = helper('pages._private')
    secret() {
      return helper('pages.secret')()
    }
    toJSON() {
      return helper('pages.toJSON')()
    }
  }
  const root = {
    index: expose((ctx) => ctx.text('home')),
    helper: helper('helper'),
    _hidden: helper('_hidden'),
    // A controller only a _lookup could return: never a segment.
    _internal: { index: expose(helper('_internal')) },
    title: 'a plain value',
    pages: new Pages(),
    plain: { index: expose((ctx) => ctx.text('plain')), format: helper('plain.format') },
  }
  return { root, ran }
}

const hostilePaths = [
  '/constructor',
  '/constructor/name',
  '/__proto__',
  '/__proto__/toString',
  '/%5F%5Fproto%5F%5F',
  '/toString',
  '/valueOf',
  '/hasOwnProperty',
  '/__defineGetter__',
  '/isPrototypeOf',
  '/con%73tructor',
  '/helper',
  '/_hidden',
  '/_internal',
  '/%5Finternal',
  '/_lookup',
  '/_default',
  '/%5Fhidden',
  '/title',
  '/index',
  '/pages/index',
  '/pages/secret',
  '/pages/toJSON',
  '/pages/constructor',
  '/pages/constructor/prototype',
  '/pages/_private',
  '/pages/__proto__/secret',
  '/plain/format',
  '/plain/toString',
  '/plain/__proto__',
]

describe('object dispatch refuses every segment that expose() did not make routable', () => {
  it.each(['GET', 'POST', 'HEAD'])('answers 404 to %s of constructor, __proto__, toString, helpers, underscored names and prototype methods, running none', async (method) => {
    const { root, ran } = hostileApp()
    const app = await createApp({ components: { router: objectDispatch({ root }) }, register: (c) => void c.value(Logger, quiet) })
    const client = createTestClient(app)
    for (const path of hostilePaths) {
      const response = await client.request(method, path)
      expect([path, response.status]).toEqual([path, 404])
      expect(await response.text()).not.toContain('leaked')
    }
    expect(ran).toEqual([])
    expect(({} as Record<string, unknown>).secret).toBeUndefined()
    // The routable paths still answer, so the 404s are the guard and not a broken app.
    expect(await (await client.get('/pages')).text()).toBe('pages')
    expect(await (await client.get('/plain')).text()).toBe('plain')
  })

  it('hands hostile segments to a lookup as plain strings, never as keys of anything', () => {
    const router = new ObjectDispatchRouter({ root: { pages: { _lookup: lookup('slug', { index: expose(() => new Response('page')) }) } } })
    for (const slug of ['__proto__', 'constructor', 'toString', '_lookup']) {
      const match = router.match('GET', `/pages/${slug}`)
      expect(match).toMatchObject({ kind: 'route', params: { slug } })
      expect(Object.getPrototypeOf((match as { params: object }).params)).toBe(Object.prototype)
    }
    expect(({} as Record<string, unknown>).slug).toBeUndefined()
  })

  it("refuses a hand-written _lookup's parameter named __proto__ (DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP), leaving the prototype alone", () => {
    const params = JSON.parse('{"__proto__": "polluted"}') as Record<string, string>
    const router = new ObjectDispatchRouter({ root: { _lookup: (_s: string, ...remainder: string[]) => ({ controller: { index: expose(() => new Response()) }, remainder, params }) } })
    expect(() => router.match('GET', '/x')).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP' }))
    expect(Object.prototype.toString.call({})).toBe('[object Object]')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('does not take a hostile segment from a root that inherits from a polluted prototype', () => {
    const proto = { evil: expose(() => new Response('evil')) }
    const root = Object.create(proto) as Record<string, unknown>
    root.index = expose(() => new Response('home'))
    // An object with another prototype is not a controller at all.
    expect(() => new ObjectDispatchRouter({ root })).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE' }))
  })
})
