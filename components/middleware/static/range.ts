/** A byte range, both ends inclusive, as in `Content-Range`. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * Read a `Range` header against a representation of `size` bytes:
 * `undefined` to ignore it (absent, not `bytes=`, malformed, or several ranges,
 * which this server answers with the whole file, as RFC 9110 allows),
 * `'unsatisfiable'` for a 416, or the one range to send.
 *
 * @example
 * parseRange('bytes=0-99', 1000)  // { start: 0, end: 99 }
 * parseRange('bytes=-100', 1000)  // { start: 900, end: 999 }
 * parseRange('bytes=2000-', 1000) // 'unsatisfiable'
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined
  const match = /^\s*bytes\s*=\s*(.+)$/i.exec(header)
  if (!match) return undefined
  const specs = match[1]!.split(',').map((s) => s.trim()).filter(Boolean)
  if (specs.length !== 1) return undefined
  const spec = /^(\d*)\s*-\s*(\d*)$/.exec(specs[0]!)
  if (!spec || (spec[1] === '' && spec[2] === '')) return undefined
  const [, first, last] = spec
  if (first === '') {
    // Suffix range: the last N bytes.
    const length = Number(last)
    if (length === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  if (last !== '' && Number(last) < start) return undefined
  if (start >= size) return 'unsatisfiable'
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) }
}
