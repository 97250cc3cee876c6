/**
 * The closed set of slots, each with the semver version of its contract this
 * core provides. A slot's version moves only when its own contract changes
 * (minor for additions a component may ignore, major for changes that break
 * implementations), so a core release that leaves a slot alone strands none of
 * its components. Components declare the range they implement (`'^1.0'`).
 */
export const slotContracts = {
  container: '1.0.0',
  // 1.1: optional additions: Router.pathRules (the core's path normalisation follows the router's case and slash
  // rules); Router.routes() and RouteMatch.route (for dovetail routes and explain); RouteDefinition.source.
  router: '1.1.0',
  server: '1.0.0',
  logger: '1.0.0',
  template: '1.0.0',
  // 1.1: Orm.ownTables/ownedTables, optional (tables components keep themselves).
  // 2.0 (breaking): a UnitOfWork may write each change at once (Kysely) instead of holding it until
  // flush (MikroORM), so callers may no longer count on clear() or a missing flush() to drop a change;
  // begin() may open its transaction lazily; ownTables/ownedTables are required.
  orm: '2.0.0',
  // 1.1: SessionStore.name, optional; a store whose backend is down rejects (never answers undefined).
  'session-store': '1.1.0',
  middleware: '1.0.0',
} as const

export type SlotName = keyof typeof slotContracts

export const slotNames = Object.keys(slotContracts) as SlotName[]

/** Slots that hold a list of components rather than one. */
export const multiSlots: ReadonlySet<SlotName> = new Set(['middleware'])

/** Slots every app must fill: there is no request handling without them. */
export const requiredSlots: readonly SlotName[] = ['container', 'router']

export const isSlotName = (name: string): name is SlotName => Object.hasOwn(slotContracts, name)
