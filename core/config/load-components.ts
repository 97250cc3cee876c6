import type { Component } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import type { ComponentSpec } from './define-config.js'
import { loadComponent } from './load-component.js'
import { loadMiddlewareEntries } from './middleware-list.js'
import type { ResolvedConfig, SettingSource } from './resolve-config.js'

/**
 * What one slot (or one entry of the middleware list) holds after the config
 * is resolved: the spec, where it was set, and the component it loaded as or
 * the error that stopped it. No component and no error: the config left the
 * slot empty (`false`).
 */
export interface SlotEntry {
  slot: SlotName
  /** `router`; `middleware 2` for the second entry of the middleware list. */
  label: string
  /** Absent when the middleware list itself could not be built (an edit naming an entry that is not there). */
  spec?: ComponentSpec
  source?: SettingSource
  component?: Component
  error?: unknown
}

/**
 * Every slot a resolved config fills, loaded, with failures kept beside the
 * entries that loaded: the single-valued slots in config order, then the
 * middleware list as its layers edit it. `createApp` throws the first failure
 * (through {@link loadComponents}); `dovetail check` and `dovetail info` show
 * them all.
 *
 * @example
 * for (const entry of await loadSlotEntries(await resolveConfig(config))) console.log(entry.label, entry.error ?? entry.component?.definition.name)
 */
export async function loadSlotEntries(resolved: ResolvedConfig): Promise<SlotEntry[]> {
  const entries: SlotEntry[] = []
  for (const [slot, spec] of resolved.components) {
    const entry: SlotEntry = { slot, label: slot, spec, source: resolved.sources.get(slot) }
    try {
      const component = await loadComponent(slot, spec, resolved.catalogue)
      if (component) entry.component = component
    } catch (error) {
      entry.error = error
    }
    entries.push(entry)
  }
  try {
    const list = await loadMiddlewareEntries(resolved.middlewareLayers, resolved.catalogue)
    list.forEach((m, i) => entries.push({ slot: 'middleware', label: `middleware ${i + 1}`, ...m }))
  } catch (error) {
    entries.push({ slot: 'middleware', label: 'middleware', error })
  }
  return entries
}

/**
 * Every component a resolved config puts in its slots, loaded; throws the
 * first entry that failed. What the command line searches for a component's
 * command.
 *
 * @example
 * for (const { slot, component } of await loadComponents(await resolveConfig(config))) console.log(slot, component.definition.name)
 */
export async function loadComponents(resolved: ResolvedConfig): Promise<Array<{ slot: SlotName; component: Component }>> {
  const entries = await loadSlotEntries(resolved)
  const failed = entries.find((e) => e.error !== undefined)
  if (failed) throw failed.error
  return entries.flatMap(({ slot, component }) => (component ? [{ slot, component }] : []))
}
