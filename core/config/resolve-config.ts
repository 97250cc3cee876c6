import { isComponent, isComponentFactory } from '../component/define-component.js'
import { isSlotName, slotNames, type SlotName } from '../component/slots.js'
import type { Registry } from '../container/registry.js'
import { ConfigInvalid, ConfigUnknownSlot } from '../errors/codes.js'
import type { Middleware } from '../pipeline/middleware.js'
import type { Routes } from '../app/routes.js'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Catalogue, discover, findPreset } from '../discovery/catalogue.js'
import type { ComponentSpec, ComponentsConfig, ConfigLayer, DovetailConfig, MiddlewareEdit, Preset } from './define-config.js'
import { resolveLimits, type ResolvedLimits } from './limits.js'

/** A config with its preset, environment layer and environment variables applied. */
export interface ResolvedConfig {
  environment: string
  preset: string
  /** The installed components and presets, for loading what the config names. */
  catalogue: Catalogue
  /** Single-valued slots. */
  components: Map<Exclude<SlotName, 'middleware'>, ComponentSpec>
  /** The middleware list as set and then edited by each layer, in order. */
  middlewareLayers: Array<readonly ComponentSpec[] | MiddlewareEdit>
  register: Array<(c: Registry) => void>
  routes: Array<(r: Routes) => void>
  middleware: Middleware[]
  server: { port: number | undefined; host: string | undefined }
  limits: ResolvedLimits
}

const configKeys = ['preset', 'root', 'components', 'server', 'limits', 'register', 'routes', 'middleware', 'env', 'environment', 'overrides']
const layerKeys = ['components', 'server', 'limits', 'register', 'routes', 'middleware']

export async function resolveConfig(config: DovetailConfig, variables: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  checkKeys(config, configKeys, 'config')
  const environment = config.environment ?? variables.NODE_ENV ?? 'development'
  const catalogue = discover(resolve(config.root ?? process.cwd()))
  const preset = await loadPreset(config.preset ?? 'minimal', catalogue)
  const envLayer = config.env?.[environment] ?? {}
  checkKeys(envLayer, layerKeys, `config.env.${environment}`)
  if (config.overrides !== undefined && !Array.isArray(config.overrides)) {
    throw ConfigInvalid('config.overrides must be a list of layers (use withComponents or withLayer).')
  }
  // Later layers win: the config, its environment's layer, then each override in order.
  const layers: Array<{ where: string; layer: ConfigLayer }> = [
    { where: 'config', layer: config },
    { where: `config.env.${environment}`, layer: envLayer },
    ...(config.overrides ?? []).map((layer, i) => ({ where: `config.overrides[${i}]`, layer })),
  ]
  for (const { where, layer } of layers.slice(2)) checkKeys(layer, layerKeys, where)

  const components = new Map<Exclude<SlotName, 'middleware'>, ComponentSpec>()
  const middlewareLayers: Array<readonly ComponentSpec[] | MiddlewareEdit> = []
  const sets = [{ where: `preset '${preset.name}'`, set: preset.components }, ...layers.map(({ where, layer }) => ({ where: `${where}.components`, set: layer.components }))]
  for (const { where, set } of sets) {
    for (const [slot, spec] of Object.entries(set ?? {}) as Array<[string, unknown]>) {
      if (!isSlotName(slot)) {
        throw ConfigUnknownSlot(`${where} names a slot '${slot}' that does not exist. Slots: ${slotNames.join(', ')}.`)
      }
      if (slot === 'middleware') middlewareLayers.push(checkMiddleware(spec, where))
      else if (Array.isArray(spec)) {
        throw ConfigInvalid(`${where}.${slot} takes one component, got a list. Only middleware takes a list.`)
      } else components.set(slot, spec as ComponentSpec)
    }
  }

  const last = <T>(pick: (layer: ConfigLayer) => T | undefined): T | undefined =>
    layers.reduce<T | undefined>((found, { layer }) => pick(layer) ?? found, undefined)
  const all = layers.map(({ layer }) => layer)
  return {
    environment,
    preset: preset.name,
    catalogue,
    components,
    middlewareLayers,
    register: all.flatMap((l) => (l.register ? [l.register] : [])),
    routes: all.flatMap((l) => (l.routes ? [l.routes] : [])),
    middleware: all.flatMap((l) => l.middleware ?? []).map(checkAppMiddleware),
    // PORT and HOST from the environment win over every layer.
    server: { port: parsePort(variables.PORT) ?? last((l) => l.server?.port), host: variables.HOST || last((l) => l.server?.host || undefined) },
    limits: resolveLimits(layers),
  }
}

/**
 * `config.middleware` takes plain functions. A component put there by mistake
 * would otherwise fail at the first request with a bare TypeError; say where it goes.
 */
function checkAppMiddleware(entry: Middleware, index: number): Middleware {
  if (isComponent(entry) || isComponentFactory(entry)) {
    const name = isComponent(entry) ? entry.definition.name : (entry as { definition: { name: string } }).definition.name
    throw ConfigInvalid(
      `config.middleware[${index}] is the component '${name}', not a middleware function. Components go in components.middleware: defineConfig({ components: { middleware: [...] } }).`,
    )
  }
  if (typeof entry !== 'function') {
    throw ConfigInvalid(`config.middleware[${index}] is ${entry === null ? 'null' : typeof entry}, not a middleware function (ctx, next) => Promise<Response>.`)
  }
  return entry
}

async function loadPreset(preset: string | Preset, catalogue: Catalogue): Promise<Preset> {
  if (typeof preset !== 'string') return checkPreset(preset, 'the preset object')
  return readPreset(catalogue, preset)
}

/**
 * Read an installed preset's file: JSON, component names and options only.
 *
 * @example
 * (await readPreset(discover(), 'fullstack')).components.template // { use: 'eta', options: { views: './views' } }
 */
export async function readPreset(catalogue: Catalogue, name: string): Promise<Preset> {
  const declared = findPreset(catalogue, name)
  const file = join(declared.dir, declared.file)
  let data: unknown
  try {
    data = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    throw ConfigInvalid(`The preset '${name}' of ${declared.package} (${file}) could not be read: ${(error as Error).message}`, { cause: error })
  }
  const checked = checkPreset(data, file)
  if (checked.name !== declared.name) {
    throw ConfigInvalid(`${file} is named '${checked.name}', but ${declared.package}'s package.json declares it as '${declared.name}'.`)
  }
  return checked
}

function checkPreset(value: unknown, where: string): Preset {
  const preset = value as Preset
  if (typeof preset?.name !== 'string' || typeof preset.components !== 'object' || preset.components === null) {
    throw ConfigInvalid(`${where} is not a preset: expected { name, components } from definePreset().`)
  }
  return preset
}

const editKeys = ['remove', 'replace', 'prepend', 'append']

function checkMiddleware(spec: unknown, where: string): readonly ComponentSpec[] | MiddlewareEdit {
  if (Array.isArray(spec)) return spec
  if (typeof spec === 'object' && spec !== null && !('definition' in spec)) {
    checkKeys(spec, editKeys, `${where}.middleware`)
    return spec as MiddlewareEdit
  }
  throw ConfigInvalid(
    `${where}.middleware takes a list of components (replacing the list) or { remove, replace, prepend, append } (editing it).`,
  )
}

function checkKeys(value: object, allowed: readonly string[], where: string): void {
  if (typeof value !== 'object' || value === null) {
    throw ConfigInvalid(`${where} must be an object (use defineConfig({ ... })).`)
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      throw ConfigInvalid(`${where} has an unknown key '${key}'. Allowed: ${allowed.join(', ')}.`)
    }
  }
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw ConfigInvalid(`The PORT environment variable is '${value}', not a port number (0-65535).`)
  }
  return port
}

export type { ComponentsConfig }
