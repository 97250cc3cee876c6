import type { Component } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import { loadComponent } from './load-component.js'
import { loadMiddlewareList } from './middleware-list.js'
import type { ResolvedConfig } from './resolve-config.js'

/**
 * Every component a resolved config puts in its slots, loaded: the
 * single-valued slots in config order, then the middleware list as its layers
 * edit it. What createApp validates and starts, and what the command line
 * searches for a component's command.
 *
 * @example
 * for (const { slot, component } of await loadComponents(await resolveConfig(config))) console.log(slot, component.definition.name)
 */
export async function loadComponents(resolved: ResolvedConfig): Promise<Array<{ slot: SlotName; component: Component }>> {
  const loaded: Array<{ slot: SlotName; component: Component }> = []
  for (const [slot, spec] of resolved.components) {
    const component = await loadComponent(slot, spec, resolved.catalogue)
    if (component) loaded.push({ slot, component })
  }
  for (const component of await loadMiddlewareList(resolved.middlewareLayers, resolved.catalogue)) loaded.push({ slot: 'middleware', component })
  return loaded
}
