import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { createApp, defineComponent, defineConfig, definePreset, type DovetailError, type ErrorCode } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import radix from 'dovetailjs/components/router/radix'
import { startupError } from '../support/startup-error.js'


const expectCode = (error: DovetailError, code: ErrorCode) => expect(error.code).toBe(code)

describe('bad config is caught at startup', () => {
  it('an unknown slot, listing the slots', async () => {
    const error = await startupError({ components: { templates: 'eta' } as never })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_UNKNOWN_SLOT')
    expect(error.message).toContain("'templates'")
    expect(error.message).toContain('container, router, server')
  })

  it('a server.workers that is no number of workers, naming the layer it is in', async () => {
    for (const workers of [-1, 1.5, 'all']) {
      const error = await startupError({ environment: 'production', env: { production: { server: { workers: workers as never } } } })
      expectCode(error, 'DOVETAIL_ERR_CONFIG_INVALID')
      expect(error.message).toContain(`config.env.production.server.workers is ${JSON.stringify(workers)}; give a whole number of worker processes (0, the default, serves from the start process itself), or 'auto' for one per CPU.`)
    }
  })

  it('an unknown component name, listing the installed components of that slot', async () => {
    const error = await startupError({ components: { container: 'inversfy' } })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT')
    expect(error.message).toContain("a container component named 'inversfy'")
    expect(error.message).toContain('awilix (dovetailjs), inversify (dovetailjs)')
  })

  it('a package that is not installed', async () => {
    const error = await startupError({ components: { router: '@acme/dovetail-router-that-does-not-exist' } })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT')
    expect(error.message).toContain("named '@acme/dovetail-router-that-does-not-exist'")
    expect(error.message).toContain('Installed router components: radix (dovetailjs)')
  })

  it('a named component with a key other than use and options', async () => {
    const error = await startupError({ components: { router: { use: 'radix', option: {} } as never } })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_INVALID')
    expect(error.message).toContain('unknown keys: option')
  })

  it("a named component's options, validated by its schema", async () => {
    const error = await startupError({ components: { router: { use: 'radix', options: { maxParamLength: 'long' } } } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain("option 'maxParamLength'")
  })

  it('an option of the wrong type, naming the component and the option path', async () => {
    const error = await startupError({ components: { router: radix({ maxParamLength: 'long' as never }) } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain("'router/radix'")
    expect(error.message).toContain("option 'maxParamLength'")
  })

  it('an unknown option, naming it', async () => {
    const error = await startupError({ components: { router: radix({ ignoreTrailingSlashes: true } as never) } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain('ignoreTrailingSlashes')
  })

  it('a nested option path', async () => {
    const nested = defineComponent({
      name: 'acme/nested',
      slot: 'middleware',
      contract: '^1.0',
      options: z.object({ limits: z.object({ files: z.array(z.number()) }) }),
      middleware: () => (_ctx, next) => next(),
    })
    const error = await startupError({ components: { middleware: [nested({ limits: { files: [1, 'two' as never] } })] } })
    expect(error.message).toContain("option 'limits.files[1]'")
  })

  it('a contract range that excludes the core, naming the component, its range and the core version', async () => {
    const future = defineComponent({ name: 'acme/router-next', slot: 'router', contract: '^2.0', register() {} })
    const error = await startupError({ components: { router: future } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH')
    expect(error.message).toContain("'acme/router-next' implements the router contract ^2.0")
    expect(error.message).toContain('provides router contract 1.2.0')
  })

  it('a contract range that is not a semver range', async () => {
    const odd = defineComponent({ name: 'acme/odd', slot: 'router', contract: 'one-ish' as never, register() {} })
    const error = await startupError({ components: { router: odd } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_CONTRACT_RANGE')
    expect(error.message).toContain('"one-ish"')
  })

  it('a logger component that registers no Logger, instead of falling back to the console', async () => {
    const silent = defineComponent({ name: 'acme/silent-logger', slot: 'logger', contract: '^1.0', register() {} })
    const error = await startupError({ components: { logger: silent } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_SLOT_UNFILLED')
    expect(error.message).toContain("Component 'acme/silent-logger' fills the logger slot, but its register(c) registered no Logger.")
  })

  it('a template component that registers no TemplateEngine, at startup rather than at the first render', async () => {
    const blank = defineComponent({ name: 'acme/blank-views', slot: 'template', contract: '^1.0' })
    const error = await startupError({ components: { template: blank } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_SLOT_UNFILLED')
    expect(error.message).toContain('registered no TemplateEngine')
  })

  it('a middleware component without a middleware hook', async () => {
    const hookless = defineComponent({ name: 'acme/hookless', slot: 'middleware', contract: '^1.0' })
    const error = await startupError({ components: { middleware: [hookless()] } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_SLOT_UNFILLED')
    expect(error.message).toContain("'acme/hookless' fills the middleware slot but has no middleware(app, options) hook")
  })

  it('a required slot left empty', async () => {
    const error = await startupError({ components: { router: false } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT')
    expect(error.message).toContain('router slot')
  })

  it('a component whose required slot is empty, naming both', async () => {
    const needsOrm = defineComponent({ name: 'acme/audit', slot: 'middleware', contract: '^1.0', requires: ['orm'], middleware: () => (_c, n) => n() })
    const error = await startupError({ components: { middleware: [needsOrm] } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT')
    expect(error.message).toContain("'acme/audit' requires the orm slot")
  })

  it('a component put in the wrong slot', async () => {
    const error = await startupError({ components: { server: radix() } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_SLOT_MISMATCH')
    expect(error.message).toContain('components.router')
  })

  it('something that is not a component', async () => {
    const error = await startupError({ components: { router: { add() {} } as never } })
    expectCode(error, 'DOVETAIL_ERR_COMPONENT_INVALID')
  })

  it('an unknown preset, listing the presets', async () => {
    const error = await startupError({ preset: 'maximal' })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET')
    expect(error.message).toContain('minimal')
  })

  it('an unknown config key', async () => {
    const error = await startupError({ route: () => {} } as never)
    expectCode(error, 'DOVETAIL_ERR_CONFIG_INVALID')
    expect(error.message).toContain("unknown key 'route'")
  })

  it('a list given to a single slot', async () => {
    const error = await startupError({ components: { router: ['radix'] as never } })
    expectCode(error, 'DOVETAIL_ERR_CONFIG_INVALID')
  })

  it('a PORT that is not a number', async () => {
    process.env.PORT = 'eighty'
    try {
      const error = await startupError({})
      expectCode(error, 'DOVETAIL_ERR_CONFIG_INVALID')
      expect(error.message).toContain('PORT')
    } finally {
      delete process.env.PORT
    }
  })
})

describe('environments', () => {
  const whoami = (env: string) => ({ routes: (r: any) => r.get('/env', (ctx: any) => ctx.text(`${env}:${ctx.environment}`)) })

  it('picks the environment layer named by NODE_ENV or by config.environment', async () => {
    const config = defineConfig({ environment: 'production', env: { production: whoami('prod'), development: whoami('dev') } })
    const app = await createApp(config)
    expect(await (await createTestClient(app).get('/env')).text()).toBe('prod:production')
    await app.close()
  })

  it('lets an environment replace a component', async () => {
    const app = await createApp({
      environment: 'test',
      env: { test: { components: { container: 'inversify' } } },
    })
    expect(app.container.native?.constructor.name).toBe('Container')
    await app.close()
  })

  it('PORT and HOST win over config.server', async () => {
    process.env.PORT = '0'
    try {
      const app = await createApp({ server: { port: 1 } })
      const server = await app.listen()
      expect(server.port).toBeGreaterThan(1)
      expect(server.host).toBe('127.0.0.1')
      await app.close()
    } finally {
      delete process.env.PORT
    }
  })

  it('accepts a preset object', async () => {
    const tiny = definePreset({ name: 'tiny', components: { container: 'inversify', router: 'radix' } })
    const app = await createApp({ preset: tiny, routes: (r) => r.get('/', (ctx) => ctx.text('ok')) })
    expect(await (await createTestClient(app).get('/')).text()).toBe('ok')
    await expect(app.listen()).rejects.toMatchObject({ code: 'DOVETAIL_ERR_APP_NO_SERVER' })
    await app.close()
  })
})

describe('config.middleware', () => {
  it('refuses a component listed there, naming components.middleware as its place', async () => {
    const { body } = await import('dovetailjs/components/middleware/body')
    for (const entry of [body(), body]) {
      const refused = await createApp(defineConfig({ middleware: [entry as never] })).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(refused).toMatchObject({ code: 'DOVETAIL_ERR_CONFIG_INVALID' })
      expect((refused as Error).message).toContain("'middleware/body'")
      expect((refused as Error).message).toContain('components.middleware')
    }
  })

  it('refuses an entry that is not a function', async () => {
    await expect(createApp(defineConfig({ middleware: ['cors' as never] }))).rejects.toMatchObject({ code: 'DOVETAIL_ERR_CONFIG_INVALID' })
  })
})
