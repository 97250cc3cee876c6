import { describe, expect, it } from 'vitest'
import { createApp } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { maintenance, poweredBy, timing } from './timing.js'

describe('writing middleware', () => {
  let down = false
  const config = {
    components: { middleware: [timing({ header: 'x-timing' })] },
    middleware: [poweredBy, maintenance(() => down)],
    routes: (r: any) => {
      r.get('/', (ctx: any) => ctx.text('home'))
      r.get('/away', (ctx: any) => ctx.redirect('/'))
    },
  }

  it('wraps every response, even immutable redirects', async () => {
    const app = await createApp(config)
    const client = createTestClient(app)
    const home = await client.get('/')
    expect(await home.text()).toBe('home')
    expect(home.headers.get('x-powered-by')).toBe('Dovetail')
    expect(home.headers.get('x-timing')).toMatch(/^app;dur=\d+\.\d$/)
    const away = await client.get('/away')
    expect(away.status).toBe(302)
    expect(away.headers.get('x-powered-by')).toBe('Dovetail')
    await app.close()
  })

  it('can answer without reaching the handler', async () => {
    const app = await createApp(config)
    down = true
    const res = await createTestClient(app).get('/')
    down = false
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('60')
    expect(await res.text()).toBe('Down for maintenance')
    await app.close()
  })

  it('a component in the list can be removed by name', async () => {
    const app = await createApp({ ...config, components: { middleware: { remove: [] } }, preset: { name: 'p', components: { container: 'awilix', router: 'radix', middleware: [timing()] } } })
    expect((await createTestClient(app).get('/')).headers.get('server-timing')).toMatch(/^app;dur=/)
    await app.close()
    const without = await createApp({ ...config, components: { middleware: { remove: ['acme/timing'] } }, preset: { name: 'p', components: { container: 'awilix', router: 'radix', middleware: [timing()] } } })
    expect((await createTestClient(without).get('/')).headers.get('server-timing')).toBeNull()
    await without.close()
  })
})
