import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, defineConfig, withComponents, withLayer } from 'dovetailjs'
import { resolveConfig } from '../../core/config/resolve-config.js'

const stamp = (value: string) =>
  defineComponent({
    name: `stamp-${value}`,
    slot: 'middleware',
    contract: '^1.0',
    middleware: () => async (_ctx, next) => {
      const res = await next()
      return new Response(`${await res.text()}+${value}`, res)
    },
  })()

const base = defineConfig({
  components: { container: 'inversify', middleware: [stamp('a'), stamp('b')] },
  server: { port: 4100 },
  routes: (r) => r.get('/', (ctx) => ctx.text('page')),
  env: { production: { server: { port: 4200 } } },
})

describe('withComponents', () => {
  it("changes the slots it names and keeps the config's other overrides, edits and routes", async () => {
    const resolved = await resolveConfig(withComponents(base, { server: 'fastcgi', middleware: { remove: ['stamp-a'] } }), {})
    expect(resolved.components.get('container')).toBe('inversify')
    expect(resolved.components.get('server')).toBe('fastcgi')
    const app = await createApp(withComponents(base, { server: false, middleware: { remove: ['stamp-a'] } }))
    expect(await (await app.fetch(new Request('http://localhost/'))).text()).toBe('page+b')
    await app.close()
  })

  it('leaves the config it was given unchanged', async () => {
    withComponents(base, { server: 'scgi' })
    expect((await resolveConfig(base, {})).components.get('server')).toBe('node')
  })
})

describe('layers', () => {
  it("later layers win: config, then the environment's layer, then each override; PORT and HOST win over all", async () => {
    expect((await resolveConfig(base, { NODE_ENV: 'development' })).server.port).toBe(4100)
    expect((await resolveConfig(base, { NODE_ENV: 'production' })).server.port).toBe(4200)
    const overridden = withLayer(base, { server: { port: 4300, host: '0.0.0.0' } })
    expect((await resolveConfig(overridden, { NODE_ENV: 'production' })).server).toEqual({ port: 4300, host: '0.0.0.0' })
    expect((await resolveConfig(overridden, { NODE_ENV: 'production', PORT: '4400', HOST: '::1' })).server).toEqual({ port: 4400, host: '::1' })
  })

  it('an override layer adds routes after the earlier ones', async () => {
    const app = await createApp(withLayer(base, { components: { server: false }, routes: (r) => r.get('/more', (ctx) => ctx.text('more')) }))
    // Middleware a is outermost, so it stamps last.
    expect(await (await app.fetch(new Request('http://localhost/more'))).text()).toBe('more+b+a')
    await app.close()
  })

  it('an override with an unknown key is refused, naming where it is', async () => {
    await expect(resolveConfig(withLayer(base, { routs: () => {} } as never), {})).rejects.toThrow("config.overrides[0] has an unknown key 'routs'")
  })
})
