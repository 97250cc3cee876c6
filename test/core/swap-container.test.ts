import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, type DovetailConfig, token } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'

/** A singleton counting requests, and a scoped greeter built per request from it. */
class Counter {
  count = 0
}
class Greeter {
  static inject = [Counter] as const
  readonly number: number
  constructor(counter: Counter) {
    this.number = ++counter.count
  }
  greet(name: string): string {
    return `Hello ${name}, you are visitor ${this.number}`
  }
}
const Salutation = token<string>('Salutation')

/** The same app; only the container line differs. */
const config = (container: 'awilix' | 'inversify'): DovetailConfig =>
  defineConfig({
    preset: 'minimal',
    components: { container },
    register(c) {
      c.singleton(Counter)
      c.scoped(Greeter)
      c.value(Salutation, 'Welcome')
    },
    routes(r) {
      r.get('/hello/:name', (ctx) => {
        const greeter = ctx.resolve(Greeter)
        // Resolved twice in one request: the same scoped instance.
        if (greeter !== ctx.resolve(Greeter)) throw new Error('scoped instance differs within a request')
        return ctx.json({ greeting: greeter.greet(ctx.params.name!), self: ctx.url('hello', { name: ctx.params.name! }) })
      }, { name: 'hello' })
      r.get('/', (ctx) => ctx.html(`<a href="${ctx.url('hello', { name: 'a b' })}">${ctx.resolve(Salutation)}</a>`))
    },
  })

const requests: Array<[string, string, Record<string, string>?]> = [
  ['GET', '/'],
  ['GET', '/hello/world'],
  ['GET', '/hello/%C3%A9t%C3%A9'],
  ['HEAD', '/hello/x'],
  ['POST', '/hello/x'],
  ['GET', '/missing', { accept: 'text/html' }],
  ['GET', '/missing', { accept: 'application/json' }],
]

async function transcript(container: 'awilix' | 'inversify'): Promise<string[]> {
  const app = await createApp(config(container))
  const client = createTestClient(app)
  const lines: string[] = []
  for (const [method, path, headers] of requests) {
    const res = await client.request(method, path, headers ? { headers } : {})
    lines.push(`${method} ${path} -> ${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`)
  }
  await app.close()
  return lines
}

describe('swapping the container changes nothing a client can see', () => {
  it('gives byte-identical responses with awilix and with inversify', async () => {
    const awilix = await transcript('awilix')
    const inversify = await transcript('inversify')
    expect(inversify).toEqual(awilix)
    // And the transcript is what the app means, not two identical failures.
    expect(awilix[0]).toContain('<a href="/hello/a%20b">Welcome</a>')
    expect(awilix[1]).toContain('"greeting":"Hello world, you are visitor 1"')
    expect(awilix[1]).toContain('"self":"/hello/world"')
    expect(awilix[2]).toContain('Hello été, you are visitor 2')
    expect(awilix[4]).toMatch(/-> 405 .*"allow","GET, HEAD"/)
    expect(awilix[5]).toMatch(/-> 404 .*text\/html/)
  })
})
