import fc from 'fast-check'

/** One edit of a valid input: what a fuzzer does to get close to, but not quite, what a parser expects. */
export type Edit =
  | { kind: 'insert'; at: number; unit: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace'; at: number; unit: number }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }

/**
 * Up to `max` edits; `unit` is the inserted or replacing byte or code unit
 * (the caller's `units` arbitrary decides which), positions are taken modulo
 * the input's length when applied.
 *
 * @example
 * fc.assert(fc.property(edits(fc.integer({ min: 0, max: 255 })), (e) => parse(mutateBytes(valid, e)) !== undefined))
 */
export const edits = (units: fc.Arbitrary<number>, max = 4): fc.Arbitrary<Edit[]> =>
  fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), unit: units }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
      fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), unit: units }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    ),
    { minLength: 1, maxLength: max },
  )

/** `input` with the edits applied in order; works on any array-like of units. */
function apply<T>(input: readonly T[], list: readonly Edit[], unitOf: (n: number) => T): T[] {
  let out = [...input]
  for (const edit of list) {
    const at = out.length === 0 ? 0 : edit.at % (out.length + (edit.kind === 'insert' ? 1 : 0))
    if (edit.kind === 'insert') out.splice(at, 0, unitOf(edit.unit))
    else if (edit.kind === 'delete') out.splice(at, edit.length)
    else if (edit.kind === 'replace') {
      if (out.length) out[at] = unitOf(edit.unit)
    } else if (edit.kind === 'duplicate') out.splice(at, 0, ...out.slice(at, at + edit.length))
    else out = out.slice(0, at)
  }
  return out
}

/** A string with the edits applied; `unit` values are UTF-16 code units. */
export const mutateString = (input: string, list: readonly Edit[]): string =>
  apply(input.split(''), list, (n) => String.fromCharCode(n)).join('')

/** Bytes with the edits applied; `unit` values are bytes. */
export const mutateBytes = (input: Uint8Array, list: readonly Edit[]): Uint8Array =>
  Uint8Array.from(apply(Array.from(input), list, (n) => n & 0xff))

/** Whether an edit list left the input as it was (a replace with the same unit, a delete of nothing). */
export const unchanged = (before: string | Uint8Array, after: string | Uint8Array): boolean =>
  typeof before === 'string' ? before === after : Buffer.from(before).equals(Buffer.from(after as Uint8Array))
