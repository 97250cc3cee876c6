import { type Component, isComponent, isComponentFactory } from '../component/define-component.js'
import type { SlotName } from '../component/slots.js'
import { DovetailError } from '../errors/dovetail-error.js'
import { builtinComponents } from './builtins.js'
import type { ComponentSpec } from './define-config.js'

/** Turn one config entry into a component: a name is looked up, a factory is called. */
export async function loadComponent(slot: SlotName, spec: ComponentSpec): Promise<Component | undefined> {
  if (spec === false) return undefined
  if (isComponent(spec)) return spec
  if (isComponentFactory(spec)) return spec()
  if (typeof spec === 'string') return fromModule(slot, spec)
  throw new DovetailError(
    'DOVETAIL_ERR_COMPONENT_INVALID',
    `The ${slot} slot was given ${describe(spec)}; expected a built-in name, a package name, or a component from defineComponent().`,
  )
}

async function fromModule(slot: SlotName, name: string): Promise<Component> {
  const builtins = builtinComponents[slot]
  const specifier = builtins[name] ?? name
  let module: { default?: unknown }
  try {
    module = (await import(specifier)) as { default?: unknown }
  } catch (error) {
    if (isMissingModule(error, specifier)) {
      const known = Object.keys(builtins)
      const listed = known.length ? `Built-in ${slot} components: ${known.join(', ')}.` : `There are no built-in ${slot} components yet.`
      const why = builtins[name]
        ? `The built-in '${name}' needs a package that is not installed (${(error as Error).message.split('\n')[0]}).`
        : `'${name}' is neither a built-in ${slot} component nor an installed package. ${listed}`
      throw new DovetailError('DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT', why, { cause: error })
    }
    throw error
  }
  const exported = module.default
  if (isComponent(exported)) return exported
  if (isComponentFactory(exported)) return exported()
  throw new DovetailError(
    'DOVETAIL_ERR_COMPONENT_INVALID',
    `'${name}' was imported for the ${slot} slot, but its default export is ${describe(exported)}, not a component from defineComponent().`,
  )
}

function isMissingModule(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string }
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return true
  // Vitest and bundlers report a failed resolution with their own message.
  return typeof e?.message === 'string' && /Cannot find (module|package)|Failed to load url|Failed to resolve/.test(e.message) && e.message.includes(specifier.split('/')[0]!)
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : typeof value
