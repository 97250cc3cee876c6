import semver from 'semver'
import { ComponentContractRange } from '../errors/codes.js'
import { slotContracts, type SlotName } from './slots.js'

type Digits = `${number}`

/**
 * The range of a slot contract's versions a component implements, in npm's
 * semver range syntax. The type takes the forms a component should use (a
 * caret or tilde range, an exact version, or `>=a.b <c`), so a typo such as
 * `'v1'` or `'1.x.y'` does not compile; `parseContractRange` checks any string
 * at run time, for ranges read from a package.json.
 *
 * @example
 * const range: ContractRange = '^1.0'
 */
export type ContractRange =
  | `^${Digits}`
  | `^${Digits}.${Digits}`
  | `^${Digits}.${Digits}.${Digits}`
  | `~${Digits}.${Digits}`
  | `~${Digits}.${Digits}.${Digits}`
  | `${Digits}.${Digits}.${Digits}`
  | `>=${Digits}.${Digits} <${Digits}`
  | `>=${Digits}.${Digits}.${Digits} <${Digits}.${Digits}.${Digits}`

/**
 * Check that `range` is a valid semver range; `where` names what declared it.
 * Throws `DOVETAIL_ERR_COMPONENT_CONTRACT_RANGE` when it is not.
 *
 * @example
 * parseContractRange('^1.0', "component 'template/eta'") // '^1.0'
 */
export function parseContractRange(range: unknown, where: string): string {
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    throw ComponentContractRange(
      `${where} declares the contract range ${JSON.stringify(range)}, which is not a semver range. Write one such as '^1.0'.`,
    )
  }
  return range
}

/**
 * Whether this core's contract for `slot` lies in `range`.
 *
 * @example
 * implementsContract('template', '^1.0') // true while the template contract is 1.x
 */
export const implementsContract = (slot: SlotName, range: string): boolean =>
  semver.satisfies(slotContracts[slot], range, { includePrerelease: true })
