import { isSlotName, slotNames, type SlotName } from '../component/slots.js'
import type { Registry } from '../container/registry.js'
import { ConfigInvalid, ConfigUnknownSlot } from '../errors/codes.js'
import { checkMiddlewareFunction } from '../pipeline/check-middleware.js'
import type { Middleware } from '../pipeline/middleware.js'
import type { Routes } from '../app/routes.js'
import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { type Catalogue, discover, findPreset } from '../discovery/catalogue.js'
import type { ComponentSpec, ComponentsConfig, ConfigLayer, DovetailConfig, MiddlewareEdit, Preset, WorkersSetting } from './define-config.js'
import { resolveLimits, type ResolvedLimits } from './limits.js'

/**
 * Where a setting of the resolved config came from, recorded as the layers are
 * applied (what `dovetail info` shows beside each slot).
 *
 * @example
 * { layer: 'environment', path: 'env.production.components.template' }
 * { layer: 'preset', path: 'components.template', file: '/app/node_modules/dovetailjs/presets/fullstack/preset.json' }
 */
export interface SettingSource {
  /**
   * The preset, the config itself, the environment's layer
   * (`config.env[environment]`), a `withLayer` override, an environment
   * variable, a command-line flag (`dovetail info --env production`, set by
   * the command line), or nothing: the default.
   */
  layer: 'preset' | 'config' | 'environment' | 'override' | 'variable' | 'flag' | 'default'
  /**
   * The key path inside the config (`components.template`,
   * `env.production.components.template`, `overrides[0].components.server`),
   * inside the preset (`components.template`), or the variable's name (`PORT`).
   */
  path: string
  /** The preset's file, for a setting from an installed preset. */
  file?: string
}

/** One layer's middleware setting: a list replacing the one before, or an edit of it, with where it was set. */
export interface MiddlewareLayer {
  setting: readonly ComponentSpec[] | MiddlewareEdit
  source: SettingSource
}

/** A config with its preset, environment layer and environment variables applied. */
export interface ResolvedConfig {
  environment: string
  /** Why this environment: `config.environment`, the NODE_ENV variable, or the default (`development`). */
  environmentSource: SettingSource
  preset: string
  /** The installed components and presets, for loading what the config names. */
  catalogue: Catalogue
  /** Single-valued slots. */
  components: Map<Exclude<SlotName, 'middleware'>, ComponentSpec>
  /** For each single-valued slot, the layer that set it last. */
  sources: Map<Exclude<SlotName, 'middleware'>, SettingSource>
  /** The middleware list as set and then edited by each layer, in order. */
  middlewareLayers: MiddlewareLayer[]
  register: Array<(c: Registry) => void>
  routes: Array<(r: Routes) => void>
  middleware: Middleware[]
  server: { port: number | undefined; host: string | undefined; workers: WorkersSetting | undefined }
  limits: ResolvedLimits
  /** Where `server.port` and `server.host` came from; `default` when nothing set them (`app.listen()` then uses 3000 and 127.0.0.1). */
  serverSources: { port: SettingSource; host: SettingSource; workers: SettingSource }
}

const configKeys = ['preset', 'root', 'components', 'server', 'limits', 'register', 'routes', 'middleware', 'env', 'environment', 'overrides']
const layerKeys = ['components', 'server', 'limits', 'register', 'routes', 'middleware']

export async function resolveConfig(config: DovetailConfig, variables: NodeJS.ProcessEnv = process.env): Promise<ResolvedConfig> {
  checkKeys(config, configKeys, 'config')
  const environment = config.environment ?? variables.NODE_ENV ?? 'development'
  const environmentSource: SettingSource =
    config.environment !== undefined
      ? { layer: 'config', path: 'environment' }
      : variables.NODE_ENV !== undefined
        ? { layer: 'variable', path: 'NODE_ENV' }
        : { layer: 'default', path: 'environment' }
  const catalogue = discover(resolve(config.root ?? process.cwd()))
  const { preset, file: presetFile } = await loadPreset(config.preset ?? 'minimal', catalogue)
  const envLayer = config.env?.[environment] ?? {}
  checkKeys(envLayer, layerKeys, `config.env.${environment}`)
  if (config.overrides !== undefined && !Array.isArray(config.overrides)) {
    throw ConfigInvalid('config.overrides must be a list of layers (use withComponents or withLayer).')
  }
  // Later layers win: the config, its environment's layer, then each override in order.
  // `path` is the layer's key path inside the config, as SettingSource reports it.
  const layers: Array<{ where: string; kind: SettingSource['layer']; path: string; layer: ConfigLayer }> = [
    { where: 'config', kind: 'config', path: '', layer: config },
    { where: `config.env.${environment}`, kind: 'environment', path: `env.${environment}.`, layer: envLayer },
    ...(config.overrides ?? []).map((layer, i) => ({ where: `config.overrides[${i}]`, kind: 'override' as const, path: `overrides[${i}].`, layer })),
  ]
  for (const { where, layer } of layers.slice(2)) checkKeys(layer, layerKeys, where)

  const components = new Map<Exclude<SlotName, 'middleware'>, ComponentSpec>()
  const sources = new Map<Exclude<SlotName, 'middleware'>, SettingSource>()
  const middlewareLayers: MiddlewareLayer[] = []
  const sets = [
    { where: `preset '${preset.name}'`, set: preset.components, source: (slot: string): SettingSource => ({ layer: 'preset', path: `components.${slot}`, ...(presetFile && { file: presetFile }) }) },
    ...layers.map(({ where, kind, path, layer }) => ({ where: `${where}.components`, set: layer.components, source: (slot: string): SettingSource => ({ layer: kind, path: `${path}components.${slot}` }) })),
  ]
  for (const { where, set, source } of sets) {
    for (const [slot, spec] of Object.entries(set ?? {}) as Array<[string, unknown]>) {
      if (!isSlotName(slot)) {
        throw ConfigUnknownSlot(`${where} names a slot '${slot}' that does not exist. Slots: ${slotNames.join(', ')}.`)
      }
      if (slot === 'middleware') middlewareLayers.push({ setting: checkMiddleware(spec, where), source: source(slot) })
      else if (Array.isArray(spec)) {
        throw ConfigInvalid(`${where}.${slot} takes one component, got a list. Only middleware takes a list.`)
      } else {
        components.set(slot, spec as ComponentSpec)
        sources.set(slot, source(slot))
      }
    }
  }

  // The last layer that sets a server default, and its key path.
  const last = <T>(key: 'port' | 'host' | 'workers', pick: (layer: ConfigLayer) => T | undefined): { value: T | undefined; source: SettingSource } =>
    layers.reduce<{ value: T | undefined; source: SettingSource }>(
      (found, { kind, path, layer }) => {
        const value = pick(layer)
        return value === undefined ? found : { value, source: { layer: kind, path: `${path}server.${key}` } }
      },
      { value: undefined, source: { layer: 'default', path: `server.${key}` } },
    )
  const port = parsePort(variables.PORT)
  const layerPort = last('port', (l) => l.server?.port)
  const layerHost = last('host', (l) => l.server?.host || undefined)
  const layerWorkers = last('workers', (l) => l.server?.workers)
  checkWorkers(layerWorkers.value, layerWorkers.source)
  const all = layers.map(({ layer }) => layer)
  return {
    environment,
    environmentSource,
    preset: preset.name,
    catalogue,
    components,
    sources,
    middlewareLayers,
    register: all.flatMap((l) => (l.register ? [l.register] : [])),
    routes: all.flatMap((l) => (l.routes ? [l.routes] : [])),
    middleware: all.flatMap((l) => l.middleware ?? []).map(checkAppMiddleware),
    // PORT and HOST from the environment win over every layer.
    server: { port: port ?? layerPort.value, host: variables.HOST || layerHost.value, workers: layerWorkers.value },
    serverSources: {
      port: port !== undefined ? { layer: 'variable', path: 'PORT' } : layerPort.source,
      host: variables.HOST ? { layer: 'variable', path: 'HOST' } : layerHost.source,
      workers: layerWorkers.source,
    },
    limits: resolveLimits(layers),
  }
}

// `dovetail start` reads server.workers; refused here so `dovetail check` and createApp say so too.
function checkWorkers(value: unknown, source: SettingSource): void {
  if (value === undefined || value === 'auto' || (typeof value === 'number' && Number.isInteger(value) && value >= 0)) return
  throw ConfigInvalid(
    `config.${source.path} is ${JSON.stringify(value)}; give a whole number of worker processes (0, the default, serves from the start process itself), or 'auto' for one per CPU.`,
  )
}

// `config.middleware` takes plain functions; a component belongs in components.middleware.
const checkAppMiddleware = (entry: Middleware, index: number): Middleware =>
  checkMiddlewareFunction(entry, `config.middleware[${index}]`, 'Components go in components.middleware: defineConfig({ components: { middleware: [...] } }).')

async function loadPreset(preset: string | Preset, catalogue: Catalogue): Promise<{ preset: Preset; file?: string }> {
  if (typeof preset !== 'string') return { preset: checkPreset(preset, 'the preset object') }
  const declared = findPreset(catalogue, preset)
  return { preset: await readPreset(catalogue, preset), file: join(declared.dir, declared.file) }
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
