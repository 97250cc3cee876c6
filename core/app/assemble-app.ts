import type { ComponentContext } from '../component/define-component.js'
import { orderComponents, type ReadyComponent } from '../component/validate-components.js'
import { registerChecked } from '../component/slot-services.js'
import { Container } from '../container/container.js'
import { ComponentInvalid, ComponentStart } from '../errors/codes.js'
import { defaultErrorRenderer, ErrorRenderer } from '../errors/error-renderer.js'
import { attributeErrors } from '../errors/error-origin.js'
import type { Middleware } from '../pipeline/middleware.js'
import { consoleLogger, Logger } from '../slots/logger.js'
import { Router } from '../slots/router.js'
import { App } from './app.js'
import { Environment } from './environment.js'
import type { ConfigInspection } from './inspect-config.js'
import { createRoutes } from './routes.js'
import { currentRequestSignal, RequestSignal } from '../context/request-signal.js'

/** One step of the middleware chain every request runs through, outermost first. */
export interface ChainStep {
  /**
   * A middleware component's name as the config names it (`session`, the
   * name its package declares it under; `middleware/session` for one the
   * config built), or the function's name for `config.middleware`
   * (`(anonymous)` when it has none).
   */
  name: string
  /** `components.middleware` or `config.middleware`. */
  from: 'component' | 'config'
}

/** An app built but not started: every service registered, every route defined, no component started. */
export interface AssembledApp {
  app: App
  container: Container
  router: Router
  /** In start order. */
  components: readonly ReadyComponent[]
  /** The middleware every request runs through, outermost first, before the router dispatches. */
  chain: readonly ChainStep[]
  context: ComponentContext
}

/**
 * The part of `createApp` after {@link inspectConfig}: throw its first
 * problem, or order the components, create the container, register every
 * component's services (checking each provides its slot's), the config's
 * registrations and routes, validate the container's graph, and make the
 * middleware. Nothing is started: no component's `start` runs, so no database
 * is connected. `dovetail check` stops here unless asked to `--connect`.
 *
 * @example
 * const assembled = await assembleApp(await inspectConfig(config))
 * await startComponents(assembled) // what createApp does next
 */
export async function assembleApp(inspection: ConfigInspection): Promise<AssembledApp> {
  const [problem] = inspection.problems
  if (problem) throw problem.error
  const { resolved } = inspection
  const ready = inspection.entries.flatMap((e) => (e.ready ? [e.ready] : []))
  const components = orderComponents(ready)
  const containerComponent = components.find((r) => r.slot === 'container')!
  const createAdapter = containerComponent.component.definition.createContainer
  if (!createAdapter) {
    throw ComponentInvalid(`Container component '${containerComponent.component.definition.name}' has no createContainer(options).`)
  }
  const container = new Container(createAdapter(containerComponent.options as never))
  try {
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
    const chain: ChainStep[] = []
    // In list order (the preset's, as edited by the config), not start order.
    for (const r of ready) {
      const make = r.component.definition.middleware
      if (r.slot === 'middleware' && make) {
        middleware.push(attributeErrors(r.component.definition.name, make(context, r.options as never)))
        chain.push({ name: r.component.source?.name ?? r.component.definition.name, from: 'component' })
      }
    }
    for (const m of resolved.middleware) chain.push({ name: m.name || '(anonymous)', from: 'config' })
    app.useMiddleware([...middleware, ...resolved.middleware])
    return { app, container, router, components, chain, context }
  } catch (error) {
    await container.dispose().catch(() => {})
    throw error
  }
}

/**
 * Start the components in dependency order (the last step of `createApp`); if
 * one fails, stop those already started, in reverse, dispose the container
 * and throw `DOVETAIL_ERR_COMPONENT_START`.
 *
 * @example
 * await startComponents(await assembleApp(await inspectConfig(config)))
 */
export async function startComponents({ components, context, container }: AssembledApp): Promise<void> {
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
