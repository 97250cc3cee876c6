/**
 * The closed set of slots, each with the version of its contract this core
 * provides. A slot's version moves only when its own contract changes, so a core
 * release that leaves a slot alone strands none of its components.
 */
export const slotContracts = {
  container: 1,
  router: 1,
  server: 1,
  logger: 1,
  template: 1,
  orm: 1,
  'session-store': 1,
  middleware: 1,
} as const

export type SlotName = keyof typeof slotContracts

export const slotNames = Object.keys(slotContracts) as SlotName[]

/** Slots that hold a list of components rather than one. */
export const multiSlots: ReadonlySet<SlotName> = new Set(['middleware'])

/** Slots every app must fill: there is no request handling without them. */
export const requiredSlots: readonly SlotName[] = ['container', 'router']

export const isSlotName = (name: string): name is SlotName => Object.hasOwn(slotContracts, name)
