import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { SlotName } from '../../component/slots.js'
import { isNamedSpec, type Preset } from '../../config/define-config.js'
import { type Catalogue, findComponent, qualifiedName } from '../../discovery/catalogue.js'
import { databaseNames } from '../../discovery/declaration.js'

/**
 * The options of `dovetail new` that choose part of the project, in the order
 * their overlay folders are applied. Each option but `db` picks the component
 * of the slot of the same name.
 */
export const choiceOptions = ['container', 'template', 'orm', 'db', 'session-store'] as const

export type ChoiceOption = (typeof choiceOptions)[number]

/** What one option may be set to for a preset, and what it is when not given. */
export interface OptionChoices {
  option: ChoiceOption
  values: string[]
  default: string
  /** Why the option applies, for the usage text: the slot, or the orm component's databases. */
  because: string
}

/**
 * The name a preset gives the component in a slot: `'eta'` or
 * `{ use: 'eta', options }`; `undefined` for an empty slot.
 *
 * @example
 * specName({ use: 'eta', options: { views: './views' } }) // 'eta'
 */
export const specName = (spec: unknown): string | undefined =>
  typeof spec === 'string' ? spec : isNamedSpec(spec) ? spec.use : undefined

/**
 * The options a preset takes and the values each may have, all read from
 * data: an option applies when the preset fills its slot (`db`: when the
 * preset's orm component lists databases in `needsByDatabase`), its values
 * are the installed components of that slot (the databases), and its default
 * is the preset's own. A scaffold with a folder for an option (views in one
 * engine's syntax, say) offers only the values it has a folder for.
 *
 * @example
 * presetChoices(await readPreset(catalogue, 'api'), catalogue, scaffoldDir)
 * // [{ option: 'container', values: ['awilix', 'inversify'], default: 'awilix', … }, { option: 'db', values: ['sqlite', 'postgresql', 'mysql'], default: 'sqlite', … }]
 */
export function presetChoices(preset: Preset, catalogue: Catalogue, scaffoldDir: string): OptionChoices[] {
  const found: OptionChoices[] = []
  for (const option of choiceOptions) {
    const offered = option === 'db' ? databases(preset, catalogue) : components(option, preset, catalogue)
    if (!offered) continue
    const overlays = join(scaffoldDir, option)
    const values = existsSync(overlays) ? offered.values.filter((value) => existsSync(join(overlays, value))) : offered.values
    if (values.length === 0) throw new Error(`The scaffold ${scaffoldDir} has a folder for --${option}, but none for what is installed: ${offered.values.join(', ')}.`)
    found.push({ option, values, default: values.includes(offered.default) ? offered.default : values[0]!, because: offered.because })
  }
  return found
}

function components(slot: SlotName, preset: Preset, catalogue: Catalogue): Omit<OptionChoices, 'option'> | undefined {
  const name = specName(preset.components[slot as keyof Preset['components']])
  if (name === undefined) return undefined
  const installed = catalogue.components.filter((c) => c.slot === slot)
  // A name two packages declare is written with its package, as config takes it.
  const values = installed.map((c) => (installed.filter((other) => other.name === c.name).length > 1 ? qualifiedName(c) : c.name))
  const preferred = findComponent(catalogue, slot, name)
  return { values, default: values[installed.indexOf(preferred)]!, because: `its ${slot} slot` }
}

function databases(preset: Preset, catalogue: Catalogue): Omit<OptionChoices, 'option'> | undefined {
  const orm = specName(preset.components.orm)
  if (orm === undefined) return undefined
  const component = findComponent(catalogue, 'orm', orm)
  const listed = Object.keys(component.needsByDatabase ?? {})
  if (listed.length === 0) return undefined
  // The order databaseNames gives, so the default (SQLite, no server) comes first.
  const values = databaseNames.filter((db) => listed.includes(db))
  return { values, default: values[0]!, because: `the databases of orm/${component.name}` }
}
