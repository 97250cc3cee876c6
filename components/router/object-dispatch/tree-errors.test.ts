import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, Logger } from 'dovetailjs'
import { expose, lookup, objectDispatch, ObjectDispatchRouter, type ControllerTree } from 'dovetailjs/components/router/object-dispatch'
import { createTestClient } from 'dovetailjs/testing'

const ok = expose(() => new Response('ok'))

function treeError(root: unknown): DovetailError {
  try {
    new ObjectDispatchRouter({ root: root as ControllerTree })
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  throw new Error('expected the tree to be refused')
}

describe('a malformed controller tree is refused when the router is built (DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE)', () => {
  class PageController {
    show() {
      return new Response()
    }
  }
  const selfContaining: Record<string, unknown> = { index: ok }
  selfContaining.again = selfContaining
  const viaLookup: Record<string, unknown> = { index: ok }
  viaLookup._lookup = lookup('id', viaLookup)

  const cases: [string, unknown, string][] = [
    ['an action under a name starting with _', { _admin: ok }, 'root._admin holds an action'],
    ['a class where a controller belongs', { pages: PageController }, "expose([PageController, 'method'])"],
    ['an object of another class', { pages: new Map() }, 'root.pages holds an instance of Map'],
    ['an array of something other than actions', { pages: [ok, 'x'] }, 'root.pages holds an array'],
    ['an index that is a controller', { index: { index: ok } }, 'root.index must be an action'],
    ['an index with params', { index: expose(() => new Response(), { params: ['id'] }) }, 'root.index takes params'],
    ['a _default that is a plain function', { _default: () => new Response() }, 'root._default must be an action'],
    ['a _lookup that is not a function', { _lookup: { index: ok } }, 'root._lookup must be a function'],
    ['a controller that contains itself', selfContaining, 'contains itself'],
    ['a controller that a lookup leads back to', viaLookup, 'contains itself'],
    ['one parameter name twice along a path', { a: { _lookup: lookup('id', { b: expose(() => new Response(), { params: ['id'] }) }) } }, "the parameter 'id' is taken twice"],
    ['actions at one key with different params', { a: [ok, expose(() => new Response(), { methods: ['POST'], params: ['x'] })] }, 'take different params'],
    ['a root that is not a controller', [ok], 'root must be a controller'],
  ]

  it.each(cases)('%s', (_title, root, message) => {
    expect(treeError(root)).toMatchObject({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE', message: expect.stringContaining(message) })
  })

  it('refuses two actions at one key answering the same method (DOVETAIL_ERR_ROUTER_INVALID_ROUTE)', () => {
    expect(treeError({ a: [ok, ok] })).toMatchObject({ code: 'DOVETAIL_ERR_ROUTER_INVALID_ROUTE', message: expect.stringContaining('root.a: two of its actions answer GET') })
  })

  it('refuses a lookup() with a bad parameter name or no controller', () => {
    expect(() => lookup('a-b', {})).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE' }))
    expect(() => lookup('id', null as never)).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE' }))
  })

  it('stops createApp with the error, and validates the options naming the one at fault', async () => {
    await expect(createApp({ components: { router: objectDispatch({ root: { _x: ok } }) } })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_INVALID_TREE' })
    await expect(createApp({ components: { router: objectDispatch({ root: 'pages' as never }) } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('root'),
    })
    await expect(createApp({ components: { router: objectDispatch({ root: {}, maxSegments: 0 }) } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('maxSegments'),
    })
  })
})

describe('a hand-written _lookup that breaks its contract answers 500 (DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP)', () => {
  const badLookups: [string, (...s: string[]) => unknown][] = [
    ['returns null', () => null],
    ['returns no controller', (_s, ...remainder) => ({ controller: 'x', remainder })],
    ['consumes nothing, which could loop forever', (...segments) => ({ controller: { index: ok }, remainder: segments })],
    ['returns a remainder of numbers', () => ({ controller: { index: ok }, remainder: [1] })],
    ['returns a parameter that is not a string', (_s, ...remainder) => ({ controller: { index: ok }, remainder, params: { id: 7 } })],
  ]

  it.each(badLookups)('when it %s', async (_title, hook) => {
    const logged: unknown[] = []
    const logger: Logger = { debug() {}, info() {}, warn() {}, error: (entry) => void logged.push(entry), child: () => logger }
    const app = await createApp({ components: { router: objectDispatch({ root: { pages: { _lookup: hook } } }) }, register: (c) => void c.value(Logger, logger) })
    const response = await createTestClient(app).get('/pages/x')
    expect(response.status).toBe(500)
    expect(logged).toEqual([expect.objectContaining({ err: expect.objectContaining({ code: 'DOVETAIL_ERR_OBJECT_DISPATCH_BAD_LOOKUP' }) })])
    expect((logged[0] as { err: Error }).err.message).toContain('root.pages._lookup("x")')
  })
})
