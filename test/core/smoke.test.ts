import { describe, expect, it } from 'vitest'
import { createApp, defineConfig } from 'dovetailjs'

describe('smoke', () => {
  it('answers a route', async () => {
    const app = await createApp(defineConfig({
      components: { container: 'inversify' },
      routes(r) { r.get('/hello/:name', (ctx) => ctx.text(`Hello ${ctx.params.name}`), { name: 'hello' }) },
    }))
    const res = await app.fetch(new Request('http://x/hello/world'))
    expect(await res.text()).toBe('Hello world')
    expect(app.url('hello', { name: 'a b' })).toBe('/hello/a%20b')
    const server = await app.listen({ port: 0 })
    const r2 = await fetch(`${server.url}/hello/node`)
    expect(await r2.text()).toBe('Hello node')
    await app.close()
  })
})
