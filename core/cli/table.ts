import type { CliIo } from './io.js'

/**
 * Print rows under a header, each column as wide as its widest cell plus two
 * spaces; the last column is not padded, and trailing spaces are cut.
 *
 * @example
 * table(io, ['slot', 'component'], [['router', 'radix']])
 * // slot    component
 * // router  radix
 */
export function table(io: CliIo, head: readonly string[], rows: readonly (readonly string[])[]): void {
  const width = (text: string) => [...text.replace(/\u001b\[\d+m/g, '')].length
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))) + 2)
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - width(c))))
      .join('')
      .trimEnd()
  io.out(line(head))
  for (const r of rows) io.out(line(r))
}
