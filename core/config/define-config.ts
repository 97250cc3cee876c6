import type { Component, ComponentFactory } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import type { Registry } from '../container/registry.js'
import type { Middleware } from '../pipeline/middleware.js'
import type { Routes } from '../app/routes.js'

/**
 * A component named as data, with options: what presets are made of.
 *
 * @example
 * { use: 'eta', options: { views: './views' } }
 */
export interface NamedComponentSpec {
  /** An installed component's name: `'eta'`, a package name, or `'<package>#<name>'`. */
  use: string
  /** Given to the component's factory, and validated by its options schema at startup. */
  options?: unknown
}

/**
 * What may fill a slot: an installed component's name (`'inversify'`, a
 * package's name, or `'<package>#<name>'`; see `dovetail info` for what is
 * installed), a name with options (`{ use: 'eta', options: { views } }`), a
 * factory (`eta`) used with its default options, a configured component
 * (`eta({ views })`), or `false` to leave an optional slot empty. The
 * middleware slot takes a list.
 */
export type ComponentSpec = string | NamedComponentSpec | Component | ComponentFactory<any> | false

/** Whether a spec is the `{ use, options }` form. */
export const isNamedSpec = (spec: unknown): spec is NamedComponentSpec =>
  typeof spec === 'object' && spec !== null && !Array.isArray(spec) && typeof (spec as NamedComponentSpec).use === 'string'

/**
 * Changes to the middleware list a preset (or an earlier layer) set up, by
 * component name (`'middleware/compression'`, or just `'compression'`).
 *
 * @example
 * components: { middleware: { remove: ['compression'], replace: { session: session({ store: 'redis' }) }, append: [myTiming] } }
 */
export interface MiddlewareEdit {
  remove?: readonly string[]
  replace?: Readonly<Record<string, ComponentSpec>>
  /** Added first, outermost. */
  prepend?: readonly ComponentSpec[]
  /** Added last, innermost (closest to the handler). */
  append?: readonly ComponentSpec[]
}

export type ComponentsConfig = {
  [S in SlotName]?: S extends 'middleware' ? readonly ComponentSpec[] | MiddlewareEdit : ComponentSpec
}

/**
 * Limits the app holds every request to, whatever server runs it.
 *
 * @example
 * defineConfig({ limits: { handlerTimeout: 10_000 }, env: { development: { limits: { handlerTimeout: false } } } })
 */
export interface Limits {
  /**
   * The longest the middleware and handler may take to produce a response,
   * in milliseconds, counted from the moment `app.fetch` is called. When it
   * passes, the client gets 503 with `Retry-After` (code
   * `DOVETAIL_ERR_HTTP_TIME_LIMIT`), `ctx.signal` aborts (the orm component
   * cancels the running query and the transaction rolls back), and whatever
   * the handler returns afterwards is dropped. `false` turns it off.
   * Not the node server's `requestTimeout`, which bounds how long the client
   * may take to send the request (then 408); streaming a response body after
   * it is produced is bounded by neither.
   * @default 30000
   */
  handlerTimeout?: number | false
}

/**
 * How many worker processes `dovetail start` serves from (`server.workers`):
 * a whole number, or `'auto'` for one per CPU. 0, the default, forks none:
 * the app serves from the start process itself. 1 or more: a primary process
 * forks that many workers sharing the port, and restarts one that dies.
 * See docs/server.md#workers.
 *
 * @example
 * defineConfig({ env: { production: { server: { workers: 'auto' } } } })
 */
export type WorkersSetting = number | 'auto'

/** The parts of a config an environment may override. */
export interface ConfigLayer {
  components?: ComponentsConfig
  /**
   * Defaults for `app.listen()`; the `PORT` and `HOST` environment variables win over these.
   * `workers` is read by `dovetail start` (its `--workers` wins); see {@link WorkersSetting}.
   */
  server?: { port?: number; host?: string; workers?: WorkersSetting }
  /** Limits on every request (see {@link Limits}); a layer's keys win over earlier layers'. */
  limits?: Limits
  register?: (c: Registry) => void
  routes?: (r: Routes) => void
  /** App-wide middleware, run after the middleware components, outermost first. */
  middleware?: readonly Middleware[]
}

export interface DovetailConfig extends ConfigLayer {
  /** An installed preset's name (`minimal`, `api`, `fullstack`, or one a package declares) or a preset object. Defaults to `minimal`. */
  preset?: string | Preset
  /**
   * The app's directory: components and presets are discovered from the
   * package.json nearest to it and the packages that lists.
   * @default process.cwd()
   */
  root?: string
  /** Overrides per environment, applied on top of the config. */
  env?: { [environment: string]: ConfigLayer }
  /**
   * Layers applied last, in order, after the environment's layer: each sets
   * the slots it names and edits the middleware list, and adds its register,
   * routes and middleware. Made by {@link withComponents} and
   * {@link withLayer}; rarely written by hand.
   */
  overrides?: readonly ConfigLayer[]
  /** The environment's name. Defaults to `NODE_ENV`, else `development`. */
  environment?: string
}

/** A named set of components: data, no logic (a preset.json file, or an object from definePreset). */
export interface Preset {
  name: string
  /** One line for `dovetail new --help` and the docs. */
  description?: string
  components: ComponentsConfig
}

/**
 * Identity function that gives a config its type.
 *
 * @example
 * export default defineConfig({
 *   preset: 'minimal',
 *   components: { container: 'inversify' },
 *   routes(r) { r.get('/', (ctx) => ctx.text('hi')) },
 *   env: { production: { server: { host: '0.0.0.0' } } },
 * })
 */
export const defineConfig = (config: DovetailConfig): DovetailConfig => config

/**
 * A copy of `config` with the given slots changed and everything else kept:
 * its preset, its other component overrides, middleware edits, environment
 * layers, register and routes. What deployment entries use to put the same
 * app behind another server.
 *
 * @example
 * import config from './app.js'
 * const app = await createApp(withComponents(config, { server: 'fastcgi' }))
 * // or with options: withComponents(config, { server: { use: 'fastcgi', options: { socketPath: '/run/app.sock' } } })
 */
export const withComponents = (config: DovetailConfig, components: ComponentsConfig): DovetailConfig => withLayer(config, { components })

/**
 * A copy of `config` with one more layer applied last (see
 * `DovetailConfig.overrides`): slots, middleware edits, server defaults,
 * register, routes and middleware.
 *
 * @example
 * const testConfig = withLayer(config, { register(c) { c.value(Mailer, fakeMailer) } })
 */
export const withLayer = (config: DovetailConfig, layer: ConfigLayer): DovetailConfig => ({ ...config, overrides: [...(config.overrides ?? []), layer] })

/** Identity function that gives a preset its type. */
export const definePreset = (preset: Preset): Preset => preset
