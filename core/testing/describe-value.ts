/** A value as a breach message names it: what was given where something else was due. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (a missing return?)'
  if (value === null) return 'null'
  if (typeof value === 'string') return 'a string'
  if (typeof value !== 'object') return `a ${typeof value}`
  const kind = Object.getPrototypeOf(value)?.constructor?.name
  if (kind && kind !== 'Object') return `a ${kind}`
  const keys = Object.keys(value).slice(0, 4)
  return `a plain object${keys.length ? ` { ${keys.join(', ')} }` : ''}`
}
