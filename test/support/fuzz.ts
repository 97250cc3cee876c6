import fc from 'fast-check'

/**
 * How many cases each fuzz property runs. `npm test` runs a short pass so the
 * suite stays quick on two cores; `npm run fuzz` sets DOVETAIL_FUZZ_RUNS for a
 * long one. A failing run prints its seed; DOVETAIL_FUZZ_SEED replays it.
 */
export function fuzzParameters(): fc.Parameters<unknown> {
  const runs = Number(process.env.DOVETAIL_FUZZ_RUNS ?? 200)
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`DOVETAIL_FUZZ_RUNS must be a positive integer, got '${process.env.DOVETAIL_FUZZ_RUNS}'`)
  const seed = process.env.DOVETAIL_FUZZ_SEED
  return { numRuns: runs, ...(seed === undefined ? {} : { seed: Number(seed) }) }
}

/** Time budget for one fuzz property (all its runs): no input may make a parser hang. Generous, so that a property run while the other core is busy (CI runs suites side by side) still fits. */
export const fuzzTimeout = (runs = fuzzParameters().numRuns ?? 200): number => Math.max(60_000, runs * 50)
