import type { Component } from '../component/define-component.js'
import { ConfigUnknownComponent } from '../errors/codes.js'
import type { ComponentSpec, MiddlewareEdit } from './define-config.js'
import type { Catalogue } from '../discovery/catalogue.js'
import { loadComponent } from './load-component.js'

const matches = (component: Component, name: string): boolean =>
  component.definition.name === name ||
  component.definition.name === `middleware/${name}` ||
  component.source?.name === name ||
  (component.source !== undefined && `${component.source.package}#${component.source.name}` === name)

/**
 * The middleware components in order: each layer (preset, config, environment)
 * either replaces the list or edits it by component name.
 */
export async function loadMiddlewareList(layers: ReadonlyArray<readonly ComponentSpec[] | MiddlewareEdit>, catalogue: Catalogue): Promise<Component[]> {
  let list: Component[] = []
  const load = async (specs: readonly ComponentSpec[]) =>
    (await Promise.all(specs.map((s) => loadComponent('middleware', s, catalogue)))).filter((c): c is Component => c !== undefined)
  for (const layer of layers) {
    if (Array.isArray(layer)) {
      list = await load(layer)
      continue
    }
    const edit = layer as MiddlewareEdit
    const indexOf = (name: string, verb: string) => {
      const i = list.findIndex((c) => matches(c, name))
      if (i < 0) {
        const present = list.map((c) => c.definition.name).join(', ') || 'none'
        throw ConfigUnknownComponent(`components.middleware.${verb} names '${name}', which is not in the middleware list. In the list: ${present}.`)
      }
      return i
    }
    for (const name of edit.remove ?? []) list.splice(indexOf(name, 'remove'), 1)
    for (const [name, spec] of Object.entries(edit.replace ?? {})) {
      const i = indexOf(name, 'replace')
      const [replacement] = await load([spec])
      if (replacement) list[i] = replacement
      else list.splice(i, 1)
    }
    list = [...(await load(edit.prepend ?? [])), ...list, ...(await load(edit.append ?? []))]
  }
  return list
}
