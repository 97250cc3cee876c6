import { prepareComponent, type ReadyComponent, slotGaps } from '../component/validate-components.js'
import type { DovetailConfig } from '../config/define-config.js'
import { loadSlotEntries, type SlotEntry } from '../config/load-components.js'
import { type ResolvedConfig, resolveConfig, type SettingSource } from '../config/resolve-config.js'

/** A slot entry, and once its component passed its slot, contract and options checks, the component ready to register. */
export interface InspectedEntry extends SlotEntry {
  ready?: ReadyComponent
}

/** One thing wrong with a config: where (a slot's label, `middleware 2`, or `slots`) and the error `createApp` would throw. */
export interface ConfigProblem {
  where: string
  /** Where the config set the slot that has the problem. */
  source?: SettingSource
  error: unknown
}

/** A config resolved and its components loaded and checked, with every problem found on the way. */
export interface ConfigInspection {
  resolved: ResolvedConfig
  entries: InspectedEntry[]
  /** Empty when `createApp` can go on to register the components. */
  problems: ConfigProblem[]
}

/**
 * The checks `createApp` runs before it registers anything: resolve the
 * config (its shape, its preset, its slots), load each component it names,
 * check each against its slot, its contract range and its options schema,
 * and check that every required slot and every component's `requires` is
 * filled. Unlike `createApp`, it goes on past a broken component, so every
 * problem is found at once; `createApp` throws the first. A config too
 * malformed to resolve throws.
 *
 * @example
 * const { problems } = await inspectConfig(config)
 * for (const p of problems) console.log(p.where, (p.error as Error).message)
 */
export async function inspectConfig(config: DovetailConfig): Promise<ConfigInspection> {
  const resolved = await resolveConfig(config)
  const entries: InspectedEntry[] = await loadSlotEntries(resolved)
  for (const entry of entries) {
    if (!entry.component) continue
    try {
      entry.ready = await prepareComponent(entry.slot, entry.component)
    } catch (error) {
      entry.error = error
    }
  }
  const problems: ConfigProblem[] = entries.flatMap((e) => (e.error === undefined ? [] : [{ where: e.label, source: e.source, error: e.error }]))
  // A slot whose component failed still counts as filled: its own problem is the one to report.
  const filled = new Set(entries.filter((e) => e.component || e.error !== undefined).map((e) => e.slot))
  const components = entries.flatMap((e) => (e.component ? [e.component] : []))
  for (const gap of slotGaps(filled, components)) problems.push({ where: 'slots', error: gap })
  return { resolved, entries, problems }
}
