import { type Component, isComponent, isComponentFactory } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import { type Catalogue, findComponent, type InstalledComponent } from '../discovery/catalogue.js'
import { importEntry, isModuleNotFound } from '../discovery/import-entry.js'
import { findInstalled } from '../discovery/installed-packages.js'
import { ComponentDeclaration, ComponentInvalid, ComponentOptions, ComponentPackageMissing, ConfigInvalid } from '../errors/codes.js'
import { type ComponentSpec, isNamedSpec } from './define-config.js'

/**
 * Turn one config entry into a component: a name (alone or with options) is
 * looked up in the catalogue of installed declarations and imported, a factory
 * is called, a component is taken as it is.
 *
 * @example
 * await loadComponent('template', { use: 'nunjucks', options: { views: './views' } }, discover())
 */
export async function loadComponent(slot: SlotName, spec: ComponentSpec, catalogue: Catalogue): Promise<Component | undefined> {
  if (spec === false) return undefined
  if (isComponent(spec)) return spec
  if (isComponentFactory(spec)) return spec()
  if (typeof spec === 'string') return fromDeclaration(slot, findComponent(catalogue, slot, spec), undefined, false, catalogue)
  if (isNamedSpec(spec)) {
    const extra = Object.keys(spec).filter((key) => key !== 'use' && key !== 'options')
    if (extra.length) throw ConfigInvalid(`The ${slot} entry { use: '${spec.use}' } has unknown keys: ${extra.join(', ')}. It takes use and options.`)
    return fromDeclaration(slot, findComponent(catalogue, slot, spec.use), spec.options, 'options' in spec, catalogue)
  }
  throw ComponentInvalid(
    `The ${slot} slot was given ${describe(spec)}; expected a component's name, { use: name, options }, or a component from defineComponent().`,
  )
}

async function fromDeclaration(slot: SlotName, declared: InstalledComponent, options: unknown, hasOptions: boolean, catalogue: Catalogue): Promise<Component> {
  const where = `the ${slot} component '${declared.name}' (${declared.package} ${declared.version})`
  checkNeeds(declared, where, catalogue)
  let module: Record<string, unknown>
  try {
    module = await importEntry(declared, declared.entry)
  } catch (error) {
    const missing = missingPackage(error)
    if (missing) {
      const needs = declared.needs?.length ? ` It needs ${declared.needs.join(', ')}.` : ''
      throw ComponentPackageMissing(
        `${capitalize(where)} imports '${missing}', which is not installed.${needs} Install it: npm install ${missing}`,
        { cause: error },
      )
    }
    throw error
  }
  const exported = module.default
  if (!isComponent(exported) && !isComponentFactory(exported)) {
    throw ComponentDeclaration(
      `${capitalize(where)} is declared at entry '${declared.entry}', whose default export is ${describe(exported)}, not a component from defineComponent().`,
    )
  }
  const { definition } = exported
  if (definition.slot !== declared.slot || definition.contract !== declared.contract) {
    throw ComponentDeclaration(
      `${capitalize(where)} is declared in package.json for slot ${declared.slot}, contract ${declared.contract}, ` +
        `but its code says slot ${definition.slot}, contract ${definition.contract}. Make the package.json declaration match defineComponent().`,
    )
  }
  let component: Component
  if (isComponentFactory(exported)) component = hasOptions ? exported(options as never) : exported()
  else if (hasOptions) throw ComponentOptions(`${capitalize(where)} exports a configured component, which takes no options here.`)
  else component = exported
  return { ...component, source: { name: declared.name, package: declared.package, version: declared.version } }
}

/**
 * Refuse a component whose declared `needs` are not installed where its code
 * would import them from (its package's folder and the folders above), before
 * importing it: all missing packages are named at once, with the ranges the
 * declaring package asks for.
 */
function checkNeeds(declared: InstalledComponent, where: string, catalogue: Catalogue): void {
  const missing = (declared.needs ?? []).filter((need) => !findInstalled(need, declared.dir))
  if (missing.length === 0) return
  const manifest = catalogue.packages.find((p) => p.dir === declared.dir)?.manifest
  const peers = (manifest?.peerDependencies ?? {}) as Record<string, string>
  const install = missing.map((need) => (peers[need] ? `${need}@${peers[need]}` : need))
  throw ComponentPackageMissing(
    `${capitalize(where)} needs ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed. Install: npm install ${install.join(' ')}`,
  )
}

/** The package a failed import could not find, when that is why it failed. */
function missingPackage(error: unknown): string | undefined {
  if (!isModuleNotFound(error)) return undefined
  return /(?:package|module|url) '([^']+)'/.exec((error as Error).message ?? '')?.[1]
}

const capitalize = (text: string) => text[0]!.toUpperCase() + text.slice(1)

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value
