import { describe, expect, it } from 'vitest'
import { type AdapterScope, type ContainerAdapter, createApp, defineComponent, type DovetailConfig, Logger, token } from 'dovetailjs'
import { AwilixAdapter } from 'dovetailjs/components/container/awilix'
import { InversifyAdapter } from 'dovetailjs/components/container/inversify'
import { createTestClient } from 'dovetailjs/testing'

/** One per request: a number, and whether its request is over. */
class Unit {
  static next = 0
  readonly id = ++Unit.next
  closed = false
}
const Clock = token<{ started: number }>('Clock')

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

const adapters = {
  awilix: () => new AwilixAdapter(),
  inversify: () => new InversifyAdapter(),
} satisfies Record<string, () => ContainerAdapter>

/** The real adapter, counting the request scopes the core asks it for. */
function countingContainer(make: () => ContainerAdapter) {
  const counted = { scopes: 0 }
  const component = defineComponent({
    name: 'container/counting',
    slot: 'container',
    contract: '^1.0',
    createContainer: () => {
      const adapter = make()
      return {
        native: adapter.native,
        register: (entry) => adapter.register(entry),
        resolve: (key) => adapter.resolve(key),
        createScope: (): AdapterScope => {
          counted.scopes++
          return adapter.createScope()
        },
        dispose: () => adapter.dispose(),
      }
    },
  })
  return { component, counted }
}

describe.each(Object.entries(adapters))('request scopes through a whole app (%s)', (_name, make) => {
  async function appWith(routes: DovetailConfig['routes']) {
    const disposed: Unit[] = []
    const singletonsDisposed: string[] = []
    const { component, counted } = countingContainer(make)
    const app = await createApp({
      preset: 'minimal',
      components: { container: component },
      register(c) {
        c.value(Logger, quiet)
        c.singleton(Clock, () => ({ started: 1 }), { dispose: () => void singletonsDisposed.push('clock') })
        c.scoped(Unit, undefined, {
          dispose: async (unit) => {
            await new Promise((resolve) => setTimeout(resolve, 1))
            unit.closed = true
            disposed.push(unit)
          },
        })
      },
      routes,
    })
    return { app, client: createTestClient(app), disposed, singletonsDisposed, counted }
  }

  it('disposes the scoped services at the end of each request, one instance per request', async () => {
    const { app, client, disposed } = await appWith((r) => {
      r.get('/unit', (ctx) => {
        const unit = ctx.resolve(Unit)
        return ctx.json({ id: unit.id, same: unit === ctx.resolve(Unit) })
      })
    })
    const first = (await (await client.get('/unit')).json()) as { id: number; same: boolean }
    expect(first.same).toBe(true)
    expect(disposed.map((u) => u.id)).toEqual([first.id])
    expect(disposed[0]!.closed).toBe(true)
    const second = (await (await client.get('/unit')).json()) as { id: number }
    expect(second.id).not.toBe(first.id)
    expect(disposed.map((u) => u.id)).toEqual([first.id, second.id])
    await app.close()
  })

  it('disposes the request’s scoped services when the handler throws, too', async () => {
    const { app, client, disposed } = await appWith((r) => {
      r.get('/fails', (ctx) => {
        ctx.resolve(Unit)
        throw new Error('handler failed')
      })
    })
    expect((await client.get('/fails')).status).toBe(500)
    expect(disposed).toHaveLength(1)
    expect(disposed[0]!.closed).toBe(true)
    await app.close()
  })

  it('gives two concurrent requests different scoped instances, each disposed with its own request', async () => {
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    const inFlight: Unit[] = []
    let bothIn!: () => void
    const bothResolved = new Promise<void>((resolve) => (bothIn = resolve))
    const { app, client, disposed } = await appWith((r) => {
      r.get('/slow', async (ctx) => {
        const unit = ctx.resolve(Unit)
        inFlight.push(unit)
        if (inFlight.length === 2) bothIn()
        await gate
        // Still this request's instance after the other request ran in between.
        return ctx.json({ id: ctx.resolve(Unit).id, same: ctx.resolve(Unit) === unit })
      })
    })
    const one = client.get('/slow')
    const two = client.get('/slow')
    await bothResolved
    expect(inFlight[0]).not.toBe(inFlight[1])
    expect(disposed).toEqual([])
    release()
    const bodies = (await Promise.all([one, two].map(async (res) => (await res).json()))) as Array<{ id: number; same: boolean }>
    expect(bodies.every((b) => b.same)).toBe(true)
    expect(new Set(bodies.map((b) => b.id)).size).toBe(2)
    expect(disposed.map((u) => u.id).sort()).toEqual(bodies.map((b) => b.id).sort())
    expect(disposed.every((u) => u.closed)).toBe(true)
    await app.close()
  })

  it('opens no request scope for a request that needs only singletons', async () => {
    const { app, client, counted } = await appWith((r) => {
      r.get('/clock', (ctx) => ctx.json(ctx.resolve(Clock)))
      r.get('/unit', (ctx) => ctx.json({ id: ctx.resolve(Unit).id }))
    })
    expect(await (await client.get('/clock')).json()).toEqual({ started: 1 })
    expect(counted.scopes).toBe(0)
    await client.get('/unit')
    expect(counted.scopes).toBe(1)
    await app.close()
  })

  it('disposes singletons at app.close(), not at the end of a request', async () => {
    const { app, client, singletonsDisposed } = await appWith((r) => {
      r.get('/clock', (ctx) => ctx.json(ctx.resolve(Clock)))
    })
    await client.get('/clock')
    expect(singletonsDisposed).toEqual([])
    await app.close()
    expect(singletonsDisposed).toEqual(['clock'])
  })
})
