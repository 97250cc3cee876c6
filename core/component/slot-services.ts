import type { Registry } from '../container/registry.js'
import { type Token, tokenName } from '../container/token.js'
import { ComponentSlotUnfilled } from '../errors/codes.js'
import { Cache } from '../slots/cache.js'
import { Logger } from '../slots/logger.js'
import { Orm } from '../slots/orm.js'
import { Router } from '../slots/router.js'
import { Server } from '../slots/server.js'
import { SessionStore } from '../slots/session-store.js'
import { TemplateEngine } from '../slots/template.js'
import type { SlotName } from './slots.js'
import type { ReadyComponent } from './validate-components.js'

/**
 * The service each single-valued slot stands for: the token a component in
 * that slot must register. The container slot is filled by `createContainer`
 * instead, and a middleware component by its `middleware` hook.
 *
 * @example
 * slotServices.template // TemplateEngine: a template component registers it in register(c)
 */
export const slotServices: { readonly [S in Exclude<SlotName, 'container' | 'middleware'>]: Token } = {
  router: Router,
  server: Server,
  logger: Logger,
  template: TemplateEngine,
  orm: Orm,
  'session-store': SessionStore,
  cache: Cache,
}

/**
 * Run a component's `register` and check it provided its slot's service, so
 * that a logger component that registers nothing fails at startup instead of
 * leaving the app on the console fallback, and a template component that
 * registers nothing fails here instead of at the first render.
 *
 * @example
 * registerChecked(ready, container.registryFor("component 'template/eta'"))
 */
export function registerChecked(ready: ReadyComponent, registry: Registry): void {
  const { definition } = ready.component
  if (ready.slot === 'middleware') {
    if (typeof definition.middleware !== 'function') {
      throw ComponentSlotUnfilled(`Component '${definition.name}' fills the middleware slot but has no middleware(app, options) hook. A middleware component returns its Middleware from that hook.`)
    }
    definition.register?.(registry, ready.options as never)
    return
  }
  definition.register?.(registry, ready.options as never)
  if (ready.slot === 'container') return
  const service = slotServices[ready.slot]
  if (!registry.has(service)) {
    throw ComponentSlotUnfilled(
      `Component '${definition.name}' fills the ${ready.slot} slot, but its register(c) registered no ${tokenName(service)}. ` +
        `A ${ready.slot} component must register the ${tokenName(service)} token (see docs/writing-a-component.md).`,
    )
  }
}
