import type { Component, ComponentFactory } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import type { Registry } from '../container/registry.js'
import type { Middleware } from '../pipeline/middleware.js'
import type { Routes } from '../app/routes.js'

/**
 * What may fill a slot: a built-in's name (`'inversify'`), an installed
 * package's name that exports a component, a factory (`eta`) used with its
 * default options, a configured component (`eta({ views })`), or `false` to
 * leave an optional slot empty. The middleware slot takes a list.
 */
export type ComponentSpec = string | Component | ComponentFactory<any> | false

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

/** The parts of a config an environment may override. */
export interface ConfigLayer {
  components?: ComponentsConfig
  /** Defaults for `app.listen()`; the `PORT` and `HOST` environment variables win over these. */
  server?: { port?: number; host?: string }
  register?: (c: Registry) => void
  routes?: (r: Routes) => void
  /** App-wide middleware, run after the middleware components, outermost first. */
  middleware?: readonly Middleware[]
}

export interface DovetailConfig extends ConfigLayer {
  /** A built-in preset's name (`minimal`, …) or a preset object. Defaults to `minimal`. */
  preset?: string | Preset
  /** Overrides per environment, applied on top of the rest. */
  env?: { [environment: string]: ConfigLayer }
  /** The environment's name. Defaults to `NODE_ENV`, else `development`. */
  environment?: string
}

/** A named set of components: data, no logic. */
export interface Preset {
  name: string
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

/** Identity function that gives a preset its type. */
export const definePreset = (preset: Preset): Preset => preset
