import { prepareComponent, orderComponents, type ReadyComponent } from '../component/validate-components.js'
import type { ComponentContext } from '../component/define-component.js'
import { registerChecked } from '../component/slot-services.js'
import type { DovetailConfig } from '../config/define-config.js'
import { loadComponents } from '../config/load-components.js'
import { resolveConfig } from '../config/resolve-config.js'
import { Container } from '../container/container.js'
import { token } from '../container/token.js'
import { ComponentInvalid, ComponentStart } from '../errors/codes.js'
import { defaultErrorRenderer, ErrorRenderer } from '../errors/error-renderer.js'
import { attributeErrors } from '../errors/error-origin.js'
import type { Middleware } from '../pipeline/middleware.js'
import { consoleLogger, Logger } from '../slots/logger.js'
import { Router } from '../slots/router.js'
import { App } from './app.js'
import { createRoutes } from './routes.js'
import { currentRequestSignal, RequestSignal } from '../context/request-signal.js'

/** The environment name (`development`, `production`, `test`), resolvable by components. */
export const Environment = token<string>('Environment')

/**
 * Build an app from a config: load the preset and components, validate every
 * option and dependency, register services, define routes, start components.
 * Everything that can be wrong with a config fails here, before the first
 * request, with a `DovetailError` naming the component, the option and the fix.
 *
 * @example
 * const app = await createApp(defineConfig({
 *   routes(r) { r.get('/hello/:name', (ctx) => ctx.text(`Hello ${ctx.params.name}`), { name: 'hello' }) },
 * }))
 * const res = await app.fetch(new Request('http://localhost/hello/world'))
 */
export async function createApp(config: DovetailConfig = {}): Promise<App> {
  const resolved = await resolveConfig(config)
  const ready: ReadyComponent[] = []
  for (const { slot, component } of await loadComponents(resolved)) ready.push(await prepareComponent(slot, component))
  const components = orderComponents(ready)
  const containerComponent = components.find((r) => r.slot === 'container')!
  const createAdapter = containerComponent.component.definition.createContainer
  if (!createAdapter) {
    throw ComponentInvalid(`Container component '${containerComponent.component.definition.name}' has no createContainer(options).`)
  }
  const container = new Container(createAdapter(containerComponent.options as never))

  const core = container.registryFor('dovetail core')
  core.value(Environment, resolved.environment)
  core.scoped(RequestSignal, currentRequestSignal)
  for (const r of components) registerChecked(r, container.registryFor(`component '${r.component.definition.name}'`))
  const appRegistry = container.registryFor('the app config')
  for (const register of resolved.register) register(appRegistry)
  if (!core.has(Logger)) core.value(Logger, consoleLogger({}, resolved.environment === 'development' ? 'debug' : 'info'))
  if (!core.has(ErrorRenderer)) core.value(ErrorRenderer, defaultErrorRenderer)

  const router = container.resolve(Router)
  const routes = createRoutes(router, container.registryFor('a route'))
  for (const define of resolved.routes) define(routes)
  container.validate()

  const app = new App({
    container,
    router,
    components,
    environment: resolved.environment,
    logger: container.resolve(Logger),
    renderError: container.resolve(ErrorRenderer),
    server: resolved.server,
    handlerTimeout: resolved.limits.handlerTimeout,
  })
  const context: ComponentContext = { resolve: (t) => container.resolve(t), env: resolved.environment }
  const middleware: Middleware[] = []
  // In list order (the preset's, as edited by the config), not start order.
  for (const r of ready) {
    const make = r.component.definition.middleware
    if (r.slot === 'middleware' && make) middleware.push(attributeErrors(r.component.definition.name, make(context, r.options as never)))
  }
  app.useMiddleware([...middleware, ...resolved.middleware])
  await startAll(components, context, container)
  return app
}

/** Start in dependency order; if one fails, stop those already started, in reverse. */
async function startAll(components: readonly ReadyComponent[], context: ComponentContext, container: Container): Promise<void> {
  const started: ReadyComponent[] = []
  for (const r of components) {
    try {
      await r.component.definition.start?.(context, r.options as never)
      started.push(r)
    } catch (error) {
      for (const s of started.reverse()) await Promise.resolve(s.component.definition.stop?.(context, s.options as never)).catch(() => {})
      await container.dispose().catch(() => {})
      throw ComponentStart(
        `Component '${r.component.definition.name}' failed to start: ${(error as Error)?.message ?? error}`,
        { cause: error },
      )
    }
  }
}
