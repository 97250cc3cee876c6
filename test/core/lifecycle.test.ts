import { describe, expect, it } from 'vitest'
import { consoleLogger, createApp, defineComponent, DovetailError, Logger, type Middleware, SessionStore, token } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'

/** Middleware components that record the order they run in, into a shared list. */
const tracer = (name: string, log: string[]) =>
  defineComponent({
    name: `middleware/${name}`,
    slot: 'middleware',
    contract: '^1.0',
    middleware: () => async (_ctx, next) => {
      log.push(`${name}:in`)
      const res = await next()
      log.push(`${name}:out`)
      return res
    },
  })()

describe('component lifecycle', () => {
  it('starts components after the slots they require and stops them in reverse', async () => {
    const events: string[] = []
    const Store = token<{ name: string }>('Store')
    const store = defineComponent({
      name: 'acme/store',
      slot: 'session-store',
      contract: '^1.0',
      register: (c) => {
        c.singleton(Store, () => ({ name: 'store' }))
        // The slot's service; this test never calls it.
        c.value(SessionStore, {} as SessionStore)
      },
      start: () => void events.push('start store'),
      stop: () => void events.push('stop store'),
    })
    const sessions = defineComponent({
      name: 'acme/sessions',
      slot: 'middleware',
      contract: '^1.0',
      requires: ['session-store'],
      start: (app) => void events.push(`start sessions using ${app.resolve(Store).name}`),
      stop: () => void events.push('stop sessions'),
      middleware: () => (_c, n) => n(),
    })
    // The middleware is listed first, yet must start after the store it requires.
    const app = await createApp({ components: { middleware: [sessions], 'session-store': store } })
    expect(events).toEqual(['start store', 'start sessions using store'])
    await app.close()
    expect(events.slice(2)).toEqual(['stop sessions', 'stop store'])
  })

  it('stops the components already started when one fails to start, and names it', async () => {
    const events: string[] = []
    const first = defineComponent({
      name: 'acme/first',
      slot: 'logger',
      contract: '^1.0',
      register: (c) => c.value(Logger, consoleLogger({}, 'info')),
      start: () => void events.push('start first'),
      stop: () => void events.push('stop first'),
    })
    const broken = defineComponent({
      name: 'acme/broken',
      slot: 'middleware',
      contract: '^1.0',
      requires: ['logger'],
      start: () => {
        throw new Error('database unreachable')
      },
      middleware: () => (_c, n) => n(),
    })
    const error = await createApp({ components: { logger: first, middleware: [broken] } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_START')
    expect((error as DovetailError).message).toContain("'acme/broken' failed to start: database unreachable")
    expect(events).toEqual(['start first', 'stop first'])
  })

  it('app.close() is idempotent and the app refuses to listen afterwards', async () => {
    const app = await createApp({})
    await Promise.all([app.close(), app.close()])
    await expect(app.listen({ port: 0 })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_APP_CLOSED' })
  })
})

describe('middleware list', () => {
  const route = { routes: (r: any) => r.get('/', (ctx: any) => ctx.text('ok')) }

  it('runs middleware components onion-style, in list order, then config middleware', async () => {
    const log: string[] = []
    const own: Middleware = async (_ctx, next) => {
      log.push('own')
      return next()
    }
    const app = await createApp({ ...route, components: { middleware: [tracer('a', log), tracer('b', log)] }, middleware: [own] })
    await createTestClient(app).get('/')
    expect(log).toEqual(['a:in', 'b:in', 'own', 'b:out', 'a:out'])
    await app.close()
  })

  it('edits a preset list by name: remove, replace, prepend, append', async () => {
    const log: string[] = []
    const preset = { name: 'p', components: { container: 'awilix', router: 'radix', middleware: [tracer('a', log), tracer('b', log), tracer('c', log)] } }
    const app = await createApp({
      ...route,
      preset,
      components: { middleware: { remove: ['a'], replace: { 'middleware/c': tracer('z', log) }, prepend: [tracer('first', log)], append: [tracer('last', log)] } },
    })
    await createTestClient(app).get('/')
    expect(log.filter((l) => l.endsWith(':in'))).toEqual(['first:in', 'b:in', 'z:in', 'last:in'])
    await app.close()
  })

  it('refuses to edit a middleware that is not in the list, listing those that are', async () => {
    const log: string[] = []
    const preset = { name: 'p', components: { container: 'awilix', router: 'radix', middleware: [tracer('a', log)] } }
    const error = await createApp({ preset, components: { middleware: { remove: ['compression'] } } }).catch((e: unknown) => e)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT')
    expect((error as DovetailError).message).toContain('In the list: middleware/a')
  })

  it('reports next() called twice', async () => {
    const twice: Middleware = async (_ctx, next) => {
      await next()
      return next()
    }
    const app = await createApp({ ...route, middleware: [twice], environment: 'development' })
    const res = await createTestClient(app).get('/', { headers: { accept: 'application/json' } })
    expect(res.status).toBe(500)
    const body = (await res.json()) as { error: { debug: { code: string } } }
    expect(body.error.debug.code).toBe('DOVETAIL_ERR_MIDDLEWARE_NEXT_TWICE')
    await app.close()
  })

  it('answers 500 when a handler returns something other than a Response', async () => {
    const app = await createApp({ routes: (r) => r.get('/', (() => 'oops') as never), environment: 'development' })
    const res = await createTestClient(app).get('/')
    expect(res.status).toBe(500)
    expect(((await res.json()) as any).error.debug.code).toBe('DOVETAIL_ERR_HANDLER_NO_RESPONSE')
    await app.close()
  })
})
