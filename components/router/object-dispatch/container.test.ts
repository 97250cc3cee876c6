import { describe, expect, it } from 'vitest'
import { type Context, createApp, Logger, token } from 'dovetailjs'
import { expose, lookup, objectDispatch } from 'dovetailjs/components/router/object-dispatch'
import { createTestClient } from 'dovetailjs/testing'

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

/** One per request, numbered, with whether its request is over. */
class RequestUnit {
  static next = 0
  readonly id = ++RequestUnit.next
  closed = false
}
const Greeting = token<string>('Greeting')

class PageController {
  static readonly inject = [RequestUnit, Greeting] as const
  static built = 0
  constructor(
    private readonly unit: RequestUnit,
    private readonly greeting: string,
  ) {
    PageController.built++
  }

  show(ctx: Context): Response {
    return ctx.json({ slug: ctx.params.slug, unit: this.unit.id, sameUnit: this.unit === ctx.resolve(RequestUnit), sameController: this === ctx.resolve(PageController), greeting: this.greeting })
  }

  save(ctx: Context): Response {
    return ctx.json({ saved: ctx.params.slug, unit: this.unit.id })
  }

  /** Not exposed: no URL reaches it. */
  erase(ctx: Context): Response {
    return ctx.text('erased')
  }
}

const root = {
  pages: { _lookup: lookup('slug', { index: expose({ get: [PageController, 'show'], post: [PageController, 'save'] }) }) },
}

describe.each(['awilix', 'inversify'] as const)('controllers of the tree resolved through the container (%s)', (container) => {
  async function start() {
    const disposed: number[] = []
    const app = await createApp({
      components: { container, router: objectDispatch({ root }) },
      register(c) {
        c.value(Logger, quiet)
        c.value(Greeting, 'hello')
        c.scoped(RequestUnit, undefined, { dispose: (unit) => void disposed.push(unit.id) })
      },
    })
    return { app, client: createTestClient(app), disposed }
  }

  it('builds the controller for each request with that request\'s scoped services, and disposes them after', async () => {
    const { client, disposed } = await start()
    const first = (await (await client.get('/pages/Front%20Page')).json()) as Record<string, unknown>
    const second = (await (await client.post('/pages/Other')).json()) as Record<string, unknown>
    expect(first).toMatchObject({ slug: 'Front Page', sameUnit: true, sameController: true, greeting: 'hello' })
    expect(second).toMatchObject({ saved: 'Other' })
    expect(second.unit).not.toBe(first.unit)
    expect(disposed).toEqual([first.unit, second.unit])
  })

  it('registers the controller scoped, so it is checked at startup: a missing dependency stops createApp naming the path', async () => {
    const error = await createApp({ components: { container, router: objectDispatch({ root }) }, register: (c) => void c.value(Logger, quiet) }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_CONTAINER_NOT_REGISTERED', message: expect.stringContaining('PageController (scoped)') })
  })

  it('refuses the app registering a controller of the tree again, naming both owners', async () => {
    const error = await createApp({
      components: { container, router: objectDispatch({ root }) },
      register(c) {
        c.value(Logger, quiet)
        c.singleton(PageController)
      },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'DOVETAIL_ERR_CONTAINER_DUPLICATE', message: expect.stringContaining("component 'router/object-dispatch'") })
  })

  it('never builds the controller for a method it does not expose', async () => {
    const { client } = await start()
    const before = PageController.built
    expect((await client.get('/pages/x/erase')).status).toBe(404)
    expect((await client.delete('/pages/x')).status).toBe(405)
    expect(PageController.built).toBe(before)
  })
})
