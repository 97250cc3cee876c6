/**
 * Whether an `If-None-Match` header matches `etag`, by the weak comparison
 * RFC 9110 (13.1.2) prescribes for it: `*`, or any listed tag whose opaque
 * part equals the one of `etag`, `W/` or not (so a tag the compression
 * middleware weakened still matches). A comma inside a tag's quotes does not
 * split it.
 *
 * @example
 * ifNoneMatch('W/"abc", "def"', '"abc"') // true: answer 304
 */
export function ifNoneMatch(header: string | null, etag: string): boolean {
  if (header === null) return false
  if (header.trim() === '*') return true
  const mine = etag.replace(/^W\//, '')
  for (const [tag] of header.matchAll(/(?:W\/)?"[^"]*"/g)) if (tag.replace(/^W\//, '') === mine) return true
  return false
}
