import { describe, expect, it } from 'vitest'
import { slotContracts } from 'dovetailjs'
import { builtinComponents, builtinPresets } from '../../core/config/builtins.js'
import { loadComponent } from '../../core/config/load-component.js'

const entries = Object.entries(builtinComponents).flatMap(([slot, names]) => Object.keys(names).map((name) => [slot, name] as const))

describe('built-in names', () => {
  it.each(entries)('%s: %s loads a component for that slot and contract version', async (slot, name) => {
    const component = await loadComponent(slot as keyof typeof slotContracts, name)
    expect(component?.definition.slot).toBe(slot)
    expect(component?.definition.name).toBe(`${slot}/${name}`)
    expect(component?.definition.api).toBe(slotContracts[slot as keyof typeof slotContracts])
  })

  it.each(Object.entries(builtinPresets))('preset %s is data naming only built-ins or components', async (name, specifier) => {
    const preset = ((await import(specifier)) as { default: { name: string; components: Record<string, unknown> } }).default
    expect(preset.name).toBe(name)
    for (const [slot, spec] of Object.entries(preset.components)) {
      for (const one of Array.isArray(spec) ? spec : [spec]) {
        if (typeof one === 'string') expect(Object.keys(builtinComponents[slot as keyof typeof builtinComponents])).toContain(one)
      }
    }
  })
})
