import { ComponentContractMismatch, ComponentCycle, ComponentMissingRequirement, ComponentOptions, ComponentRequiredSlot, ComponentSlotMismatch } from '../errors/codes.js'
import type { DovetailError } from '../errors/dovetail-error.js'
import type { Component } from './define-component.js'
import { implementsContract, parseContractRange } from './contract-range.js'
import { requiredSlots, slotContracts, type SlotName } from './slots.js'
import { issuePath } from './standard-schema.js'

/** A component checked against its slot, with validated options. */
export interface ReadyComponent {
  component: Component
  slot: SlotName
  options: unknown
}

/** Check slot, contract version and options of one component. */
export async function prepareComponent(slot: SlotName, component: Component): Promise<ReadyComponent> {
  const def = component.definition
  if (def.slot !== slot) {
    throw ComponentSlotMismatch(
      `Component '${def.name}' fills the ${def.slot} slot, but was put in the ${slot} slot. Move it to components.${def.slot}.`,
    )
  }
  const range = parseContractRange(def.contract, `Component '${def.name}'`)
  if (!implementsContract(slot, range)) {
    const provided = slotContracts[slot]
    throw ComponentContractMismatch(
      `Component '${def.name}' implements the ${slot} contract ${range}, but this core (dovetailjs) provides ${slot} contract ${provided}. ` +
        `Use a release of '${def.name}' made for ${slot} contract ${provided}, or a dovetailjs whose ${slot} contract is in ${range}.`,
    )
  }
  return { component, slot, options: await validateOptions(component) }
}

async function validateOptions(component: Component): Promise<unknown> {
  const { definition: def, input } = component
  if (!def.options) {
    if (input !== undefined) {
      throw ComponentOptions(`Component '${def.name}' takes no options, but was given some.`)
    }
    return undefined
  }
  const result = await def.options['~standard'].validate(input ?? {})
  if (result.issues) {
    const lines = result.issues.map((issue) => `  - option '${issuePath(issue)}': ${issue.message}`)
    throw ComponentOptions(`Component '${def.name}' has invalid options:\n${lines.join('\n')}\n`)
  }
  return result.value
}

/**
 * The gaps in a config's slots: each required slot left empty, each
 * component's `requires` that no component fills. One error per gap, so
 * `dovetail check` can list them all; `orderComponents` throws the first.
 *
 * @example
 * slotGaps(new Set(['container']), [])[0]?.code // 'DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT' (the router slot)
 */
export function slotGaps(filled: ReadonlySet<SlotName>, components: readonly Component[]): DovetailError[] {
  const gaps: DovetailError[] = []
  for (const slot of requiredSlots) {
    if (!filled.has(slot)) {
      gaps.push(
        ComponentRequiredSlot(
          `Every app needs a component in the ${slot} slot, and this config leaves it empty. Set components.${slot} or use a preset that fills it.`,
        ),
      )
    }
  }
  for (const component of components) {
    for (const need of component.definition.requires ?? []) {
      if (!filled.has(need)) {
        gaps.push(
          ComponentMissingRequirement(
            `Component '${component.definition.name}' requires the ${need} slot, which no component fills. Add one under components.${need}.`,
          ),
        )
      }
    }
  }
  return gaps
}

/**
 * Check that every required slot and every component's `requires` is filled,
 * and return the components in start order: each after the slots it requires,
 * the container first.
 */
export function orderComponents(ready: readonly ReadyComponent[]): ReadyComponent[] {
  const [gap] = slotGaps(new Set(ready.map((r) => r.slot)), ready.map((r) => r.component))
  if (gap) throw gap
  const ordered: ReadyComponent[] = []
  const state = new Map<ReadyComponent, 'visiting' | 'done'>()
  const visit = (r: ReadyComponent, path: string[]) => {
    if (state.get(r) === 'done') return
    const name = r.component.definition.name
    if (state.get(r) === 'visiting') {
      throw ComponentCycle(`Components require each other in a cycle: ${[...path, name].join(' -> ')}.`)
    }
    state.set(r, 'visiting')
    for (const need of r.component.definition.requires ?? []) {
      for (const dep of ready.filter((d) => d.slot === need)) visit(dep, [...path, name])
    }
    state.set(r, 'done')
    ordered.push(r)
  }
  const containerFirst = [...ready].sort((a, b) => Number(b.slot === 'container') - Number(a.slot === 'container'))
  for (const r of containerFirst) visit(r, [])
  return ordered
}
