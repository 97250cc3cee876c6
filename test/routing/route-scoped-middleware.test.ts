import { describe, expect, it } from 'vitest'
import { createApp, HttpError, type Middleware } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import objectDispatch from 'dovetailjs/components/router/object-dispatch'

/*
 * Middleware on a group or a route: r.group(prefix, { use }, define) and the
 * `use` option of each route method.
 */

/** A middleware that records its name on the way in and on the way out. */
const step = (name: string, seen: string[]): Middleware =>
  Object.defineProperty(
    async (_ctx: Parameters<Middleware>[0], next: Parameters<Middleware>[1]) => {
      seen.push(`${name} in`)
      const res = await next()
      seen.push(`${name} out`)
      return res
    },
    'name',
    { value: name },
  )

/** Refuses with 403 unless the request says it is an admin; records the path it guarded. */
const guard = (guarded: string[]): Middleware =>
  async function requireAdmin(ctx, next) {
    guarded.push(ctx.path)
    if (ctx.request.headers.get('x-role') !== 'admin') throw new HttpError(403, 'Admins only')
    return next()
  }

describe('middleware on a group or a route', () => {
  it('runs app, outer group, inner group and route middleware in that order around the handler', async () => {
    const seen: string[] = []
    const app = await createApp({
      environment: 'test',
      middleware: [step('app', seen)],
      routes(r) {
        r.group('/api', { use: [step('api', seen)] }, (api) => {
          api.group('/v2', { use: [step('v2', seen)] }, (v2) => {
            v2.get('/items', (ctx) => (seen.push('handler'), ctx.text('items')), { use: [step('route', seen)] })
          })
        })
      },
    })
    const res = await createTestClient(app).get('/api/v2/items')
    expect(await res.text()).toBe('items')
    expect(seen).toEqual(['app in', 'api in', 'v2 in', 'route in', 'handler', 'route out', 'v2 out', 'api out', 'app out'])
  })

  it('lets a group guard answer 403 without running the handler, and leaves routes outside the group alone', async () => {
    const guarded: string[] = []
    let handlerRan = false
    const app = await createApp({
      environment: 'test',
      routes(r) {
        r.get('/', (ctx) => ctx.text('home'))
        r.group('/admin', { use: [guard(guarded)] }, (admin) => {
          admin.get('/users', (ctx) => ((handlerRan = true), ctx.text('users')))
        })
        r.get('/administrators', (ctx) => ctx.text('a page about admins'))
      },
    })
    const client = createTestClient(app)
    expect((await client.get('/admin/users')).status).toBe(403)
    expect(handlerRan).toBe(false)
    expect(await (await client.get('/admin/users', { headers: { 'x-role': 'admin' } })).text()).toBe('users')
    expect(handlerRan).toBe(true)
    expect(await (await client.get('/')).text()).toBe('home')
    expect(await (await client.get('/administrators')).text()).toBe('a page about admins')
    expect(guarded).toEqual(['/admin/users', '/admin/users'])
  })

  it('guards a request whose path only becomes the group path once normalised, and the guard sees the normal form', async () => {
    const guarded: string[] = []
    let handlerRan = false
    const app = await createApp({
      environment: 'test',
      routes: (r) => r.group('/admin', { use: [guard(guarded)] }, (admin) => admin.get('/x', (ctx) => ((handlerRan = true), ctx.text('x')))),
    })
    const res = await app.fetch(new Request('http://localhost/%61dmin/x'))
    expect(res.status).toBe(403)
    expect(handlerRan).toBe(false)
    expect(guarded).toEqual(['/admin/x'])
  })

  it('runs the group middleware the same with the object-dispatch router', async () => {
    const guarded: string[] = []
    const app = await createApp({
      environment: 'test',
      components: { router: objectDispatch({ root: {} }) },
      routes: (r) => r.group('/admin', { use: [guard(guarded)] }, (admin) => admin.get('/x', (ctx) => ctx.text('x'))),
    })
    const client = createTestClient(app)
    expect((await client.get('/admin/x')).status).toBe(403)
    expect(await (await client.get('/admin/x', { headers: { 'x-role': 'admin' } })).text()).toBe('x')
  })

  it('refuses at startup a use entry that is not a function, naming the route and where components go', async () => {
    const notMiddleware = { name: 'acme/stamp', slot: 'middleware' } as unknown as Middleware
    const boot = (use: Middleware[], onGroup: boolean) =>
      createApp({
        environment: 'test',
        routes(r) {
          if (onGroup) r.group('/admin', { use }, (admin) => admin.get('/x', (ctx) => ctx.text('x')))
          else r.post('/notes', (ctx) => ctx.text('x'), { use })
        },
      })
    await expect(boot([notMiddleware], false)).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^Route POST \/notes: use\[0\] is object, not a middleware function .*Components go in config\.components/),
    })
    await expect(boot([step('ok', []), notMiddleware], true)).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^group\('\/admin'\): use\[1\] is object, not a middleware function/),
    })
    // A component's factory is a function too; it is named, not called on the first request.
    const { body } = await import('dovetailjs/components/middleware/body')
    await expect(boot([body as unknown as Middleware], false)).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^Route POST \/notes: use\[0\] is the component 'middleware\/body', not a middleware function/),
    })
  })
})
