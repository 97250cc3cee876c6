import { describe, expect, it } from 'vitest'
import { type Context, createApp, DovetailError, token } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'

interface Greeting {
  word: string
}
const Greeting = token<Greeting>('Greeting')

/** One per request: counts how many were built. */
class RequestStamp {
  static built = 0
  readonly number = ++RequestStamp.built
}

class PageController {
  static inject = [Greeting, RequestStamp] as const
  static built = 0
  constructor(
    readonly greeting: Greeting,
    readonly stamp: RequestStamp,
  ) {
    PageController.built++
  }

  show(ctx: Context): Response {
    return ctx.json({ text: `${this.greeting.word}, ${ctx.params.name}`, stamp: this.stamp.number })
  }

  // Two services resolved in one request share its scope.
  stamps(ctx: Context): Response {
    return ctx.json({ controller: this.stamp.number, again: ctx.resolve(RequestStamp).number })
  }
}

describe.each(['awilix', 'inversify'] as const)('controller actions [Class, method] with the %s container', (container) => {
  const boot = () =>
    createApp({
      environment: 'test',
      components: { container },
      register(c) {
        c.value(Greeting, { word: 'Hello' })
        c.scoped(RequestStamp)
      },
      routes(r) {
        r.get('/pages/:name', [PageController, 'show'], { name: 'page' })
        r.get('/stamps', [PageController, 'stamps'])
      },
    })

  it('builds the controller with its constructor dependencies and calls the action', async () => {
    const client = createTestClient(await boot())
    const res = await client.get('/pages/ann')
    expect(res.status).toBe(200)
    expect((await res.json()).text).toBe('Hello, ann')
  })

  it('builds a fresh controller, with fresh scoped dependencies, for each request', async () => {
    const client = createTestClient(await boot())
    const before = PageController.built
    const first = (await (await client.get('/pages/a')).json()).stamp
    const second = (await (await client.get('/pages/b')).json()).stamp
    expect(PageController.built - before).toBe(2)
    expect(second).not.toBe(first)
  })

  it('shares one scoped instance between the controller and the handler within a request', async () => {
    const client = createTestClient(await boot())
    const body = await (await client.get('/stamps')).json()
    expect(body.again).toBe(body.controller)
  })

  it('refuses to boot when the controller needs something nobody registered, naming the path', async () => {
    class Orphan {
      static inject = [token('Missing')] as const
      constructor(_missing: unknown) {}
      index(ctx: Context) {
        return ctx.text('never')
      }
    }
    const failing = createApp({ environment: 'test', components: { container }, routes: (r) => r.get('/', [Orphan, 'index']) })
    await expect(failing).rejects.toMatchObject({ code: 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED', message: expect.stringContaining('Orphan') })
  })

  it('refuses an action the controller does not have', async () => {
    const failing = createApp({ environment: 'test', components: { container }, routes: (r) => r.get('/', [PageController, 'missing' as never]) })
    await expect(failing).rejects.toBeInstanceOf(DovetailError)
    await expect(failing).rejects.toMatchObject({ code: 'DOVETAIL_ERR_ROUTER_INVALID_ROUTE', message: expect.stringContaining("'missing'") })
  })
})
