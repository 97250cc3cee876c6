import type { Component } from '../component/define-component.js'
import { ConfigUnknownComponent } from '../errors/codes.js'
import type { ComponentSpec, MiddlewareEdit } from './define-config.js'
import { isNamedSpec } from './define-config.js'
import type { Catalogue } from '../discovery/catalogue.js'
import { loadComponent } from './load-component.js'
import type { MiddlewareLayer, SettingSource } from './resolve-config.js'

/**
 * One entry of the middleware list: the spec a layer put there, and the
 * component it loaded as, or why it did not load. A failed entry is kept,
 * not thrown, so that `dovetail check` and `dovetail info` see every entry;
 * `createApp` throws the first failure of the final list.
 */
export interface MiddlewareEntry {
  spec: ComponentSpec
  /** The layer that put the entry in the list (set it, prepended, appended or replaced it), and the key path of its spec there. */
  source: SettingSource
  component?: Component
  error?: unknown
}

const matches = (entry: MiddlewareEntry, name: string): boolean => {
  const { component, spec } = entry
  // A spec that failed to load is found by the name it was given.
  if (!component) return spec === name || (isNamedSpec(spec) && spec.use === name)
  return (
    component.definition.name === name ||
    component.definition.name === `middleware/${name}` ||
    component.source?.name === name ||
    (component.source !== undefined && `${component.source.package}#${component.source.name}` === name)
  )
}

const displayName = (entry: MiddlewareEntry): string =>
  entry.component?.definition.name ?? (typeof entry.spec === 'string' ? entry.spec : isNamedSpec(entry.spec) ? entry.spec.use : '(a component that did not load)')

/**
 * The middleware list in order: each layer (preset, config, environment,
 * overrides) either replaces the list or edits it by component name. An entry
 * that an edit removes or replaces never counts against the config, even if
 * it could not be loaded (a preset's `body` whose package is missing, removed
 * by the config).
 *
 * @example
 * const entries = await loadMiddlewareEntries(resolved.middlewareLayers, resolved.catalogue)
 */
export async function loadMiddlewareEntries(layers: readonly MiddlewareLayer[], catalogue: Catalogue): Promise<MiddlewareEntry[]> {
  let list: MiddlewareEntry[] = []
  // Each entry's source is the key path of the spec itself: `components.middleware[2]`, `components.middleware.replace.session`.
  const load = async (specs: readonly ComponentSpec[], layer: SettingSource, key: (i: number) => string): Promise<MiddlewareEntry[]> =>
    (
      await Promise.all(
        specs.map((spec, i) => {
          const source = { ...layer, path: `${layer.path}${key(i)}` }
          return loadComponent('middleware', spec, catalogue).then(
            (component): MiddlewareEntry | undefined => (component ? { spec, source, component } : undefined),
            (error: unknown): MiddlewareEntry => ({ spec, source, error }),
          )
        }),
      )
    ).filter((e): e is MiddlewareEntry => e !== undefined)
  for (const { setting, source } of layers) {
    if (Array.isArray(setting)) {
      list = await load(setting, source, (i) => `[${i}]`)
      continue
    }
    const edit = setting as MiddlewareEdit
    const indexOf = (name: string, verb: string) => {
      const i = list.findIndex((entry) => matches(entry, name))
      if (i < 0) {
        const present = list.map(displayName).join(', ') || 'none'
        throw ConfigUnknownComponent(`components.middleware.${verb} names '${name}', which is not in the middleware list. In the list: ${present}.`)
      }
      return i
    }
    for (const name of edit.remove ?? []) list.splice(indexOf(name, 'remove'), 1)
    for (const [name, spec] of Object.entries(edit.replace ?? {})) {
      const i = indexOf(name, 'replace')
      const [replacement] = await load([spec], source, () => `.replace.${name}`)
      if (replacement) list[i] = replacement
      else list.splice(i, 1)
    }
    list = [...(await load(edit.prepend ?? [], source, (i) => `.prepend[${i}]`)), ...list, ...(await load(edit.append ?? [], source, (i) => `.append[${i}]`))]
  }
  return list
}
