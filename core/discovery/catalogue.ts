import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseContractRange } from '../component/contract-range.js'
import type { SlotName } from '../component/slots.js'
import { DovetailError } from '../errors/dovetail-error.js'
import { type ComponentDeclaration, dovetailFieldSchema, type PresetDeclaration } from './declaration.js'
import { appPackages, corePackage, type InstalledPackage } from './installed-packages.js'

/** Where a declaration came from. */
export interface Provenance {
  /** The declaring package's name and version. */
  package: string
  version: string
  /** Its directory. */
  dir: string
}

export type InstalledComponent = ComponentDeclaration & Provenance
export type InstalledPreset = PresetDeclaration & Provenance

/** Every component and preset the installed packages declare. */
export interface Catalogue {
  /** The directory discovery started from. */
  root: string
  packages: InstalledPackage[]
  components: InstalledComponent[]
  presets: InstalledPreset[]
}

/**
 * Find the components and presets an app can name: those declared in the
 * `dovetail` field of dovetailjs's own package.json (the built-ins), of the
 * app's package.json, and of every package the app depends on. Nothing is
 * imported; a malformed declaration fails here, naming the package.
 *
 * @example
 * const catalogue = discover(process.cwd())
 * catalogue.components.filter((c) => c.slot === 'template').map((c) => c.name) // ['eta', 'nunjucks', 'handlebars']
 */
export function discover(from: string = process.cwd()): Catalogue {
  const root = resolve(from)
  const seen = new Set<string>()
  // By real path: a package reached through a symlink (pnpm, npm link) is the one already seen, not a second copy.
  const packages = [corePackage(), ...appPackages(root)].filter((p) => {
    const real = realpathSync(p.dir)
    return !seen.has(real) && seen.add(real)
  })
  const components: InstalledComponent[] = []
  const presets: InstalledPreset[] = []
  for (const pkg of packages) {
    const field = pkg.manifest.dovetail
    if (field === undefined) continue
    const parsed = dovetailFieldSchema.safeParse(field)
    if (!parsed.success) {
      const lines = parsed.error.issues.map((i) => `  - dovetail.${i.path.join('.')}: ${i.message}`)
      throw new DovetailError('DOVETAIL_ERR_COMPONENT_DECLARATION', `The dovetail field in ${pkg.name}'s package.json (${pkg.dir}) is malformed:\n${lines.join('\n')}\n`)
    }
    const provenance = { package: pkg.name, version: pkg.version, dir: pkg.dir }
    for (const declared of parsed.data.components ?? []) {
      parseContractRange(declared.contract, `${pkg.name}'s package.json (component ${declared.slot}/${declared.name})`)
      components.push({ ...declared, ...provenance })
    }
    for (const declared of parsed.data.presets ?? []) presets.push({ ...declared, ...provenance })
  }
  return { root, packages, components, presets }
}

/** How a component is written in config: `'eta'`, `'dovetail-handlebars'` or `'dovetail-handlebars#handlebars'`. */
export const qualifiedName = (c: InstalledComponent | InstalledPreset): string => `${c.package}#${c.name}`

/**
 * The installed component a config name means for `slot`: a short name
 * (`'eta'`), a package name (its one component for the slot) or
 * `'<package>#<name>'`. Throws `DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT`, listing
 * what is installed for the slot, or `DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT`.
 *
 * @example
 * findComponent(discover(), 'template', 'nunjucks').entry // './components/template/nunjucks'
 */
export function findComponent(catalogue: Catalogue, slot: SlotName, name: string): InstalledComponent {
  const forSlot = catalogue.components.filter((c) => c.slot === slot)
  const hash = name.indexOf('#')
  const matches =
    hash > 0
      ? forSlot.filter((c) => c.package === name.slice(0, hash) && c.name === name.slice(hash + 1))
      : forSlot.filter((c) => c.name === name).concat(forSlot.filter((c) => c.package === name && c.name !== name))
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new DovetailError(
      'DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT',
      `'${name}' could mean ${matches.length} installed ${slot} components: ${matches.map(qualifiedName).join(', ')}. Name one of them that way.`,
    )
  }
  const listed = forSlot.length ? forSlot.map((c) => `${c.name} (${c.package})`).join(', ') : 'none'
  throw new DovetailError(
    'DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT',
    `No installed package declares a ${slot} component named '${name}'. Installed ${slot} components: ${listed}. ` +
      `Install the package that provides it and list it in your package.json (discovery reads the dependencies of ${catalogue.root}).`,
  )
}

/**
 * The installed preset a config name means: `'fullstack'` or `'<package>#<name>'`.
 *
 * @example
 * findPreset(discover(), 'api').file // './presets/api/preset.json'
 */
export function findPreset(catalogue: Catalogue, name: string): InstalledPreset {
  const hash = name.indexOf('#')
  const matches = catalogue.presets.filter((p) => (hash > 0 ? p.package === name.slice(0, hash) && p.name === name.slice(hash + 1) : p.name === name))
  if (matches.length === 1) return matches[0]!
  if (matches.length > 1) {
    throw new DovetailError('DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT', `'${name}' could mean ${matches.length} installed presets: ${matches.map(qualifiedName).join(', ')}. Name one of them that way.`)
  }
  throw new DovetailError(
    'DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET',
    `No installed package declares a preset named '${name}'. Presets: ${catalogue.presets.map((p) => p.name).join(', ') || 'none'}; or pass a preset object from definePreset().`,
  )
}
