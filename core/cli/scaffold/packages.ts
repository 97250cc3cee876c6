import type { SlotName } from '../../component/slots.js'
import type { Preset } from '../../config/define-config.js'
import { type Catalogue, findComponent, type InstalledComponent } from '../../discovery/catalogue.js'
import type { DatabaseName } from '../../discovery/declaration.js'
import { specName } from './choices.js'

/**
 * The components a project made from `preset` runs: the preset's, with the
 * slots chosen on the command line replaced.
 *
 * @example
 * projectComponents(fullstack, { template: 'nunjucks' }, catalogue).map((c) => c.name)
 * // ['awilix', 'radix', 'node', 'pino', 'nunjucks', 'mikro-orm', 'sql', 'request-log', …]
 */
export function projectComponents(preset: Preset, chosen: Readonly<Record<string, string>>, catalogue: Catalogue): InstalledComponent[] {
  const found: InstalledComponent[] = []
  for (const [slot, spec] of Object.entries(preset.components) as Array<[SlotName, unknown]>) {
    const specs = slot === 'middleware' ? (Array.isArray(spec) ? spec : []) : [chosen[slot] ?? spec]
    for (const entry of specs) {
      const name = specName(entry)
      if (name !== undefined) found.push(findComponent(catalogue, slot, name))
    }
  }
  return found
}

/**
 * The packages a project depends on for its components, with their versions:
 * each component's `needs` (and `needsByDatabase` for the chosen database), at
 * the range its declaring package gives in `peerDependencies`; and every
 * declaring package other than dovetailjs itself. Sorted by name.
 *
 * @example
 * projectDependencies(projectComponents(fullstack, { template: 'nunjucks' }, catalogue), 'sqlite', catalogue)
 * // { '@mikro-orm/core': '^6.6.16', …, busboy: '^1.6.0', nunjucks: '^3.2.4', pino: '^10.4.0' }
 */
export function projectDependencies(components: readonly InstalledComponent[], db: DatabaseName | undefined, catalogue: Catalogue): Record<string, string> {
  const dependencies = new Map<string, string>()
  for (const component of components) {
    if (component.package !== 'dovetailjs') dependencies.set(component.package, `^${component.version}`)
    const declaring = catalogue.packages.find((p) => p.dir === component.dir)
    const peers = (declaring?.manifest.peerDependencies ?? {}) as Record<string, string>
    for (const name of [...(component.needs ?? []), ...((db && component.needsByDatabase?.[db]) ?? [])]) {
      const range = peers[name]
      if (range === undefined) {
        throw new Error(
          `${component.package} declares that its ${component.slot} component '${component.name}' needs ${name}, but gives no version of it in its peerDependencies; ` +
            `it should list ${name} there (optional in peerDependenciesMeta).`,
        )
      }
      dependencies.set(name, range)
    }
  }
  return Object.fromEntries([...dependencies].sort(([a], [b]) => (a < b ? -1 : 1)))
}
