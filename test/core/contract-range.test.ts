import { describe, expect, it } from 'vitest'
import { defineComponent, implementsContract, parseContractRange, type ContractRange } from 'dovetailjs'

describe('contract ranges', () => {
  it('accept the ranges a component should write, and the core version decides', () => {
    const ranges: ContractRange[] = ['^1.0', '^1', '~1.0', '1.0.0', '>=1.0 <2']
    // The container contract is 1.0.0 (the router's is 1.2.0, which '1.0.0' exactly would not take).
    for (const range of ranges) expect(implementsContract('container', parseContractRange(range, 'test'))).toBe(true)
    expect(implementsContract('router', '1.0.0')).toBe(false)
    expect(implementsContract('router', '^1.0')).toBe(true)
    expect(implementsContract('container', '^2.0')).toBe(false)
    expect(implementsContract('container', '~0.9')).toBe(false)
  })

  it('refuse a string that is not a semver range, naming who declared it', () => {
    expect(() => parseContractRange('v-one', "component 'acme'")).toThrow(`component 'acme' declares the contract range "v-one", which is not a semver range`)
    expect(() => parseContractRange(1, "component 'acme'")).toThrow('declares the contract range 1,')
  })

  it('make a malformed range or a wrong slot a compile error', () => {
    // The assertions here are the @ts-expect-error lines: `npm test` typechecks this file first.
    // @ts-expect-error: not a range
    const badRange = defineComponent({ name: 'acme', slot: 'router', contract: 'one' })
    // @ts-expect-error: no such slot
    const badSlot = defineComponent({ name: 'acme', slot: 'routr', contract: '^1.0' })
    // @ts-expect-error: the old numeric contract version
    const oldStyle = defineComponent({ name: 'acme', slot: 'router', contract: 1 })
    expect([badRange, badSlot, oldStyle].every((f) => typeof f === 'function')).toBe(true)
  })
})
