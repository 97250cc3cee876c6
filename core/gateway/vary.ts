/**
 * Add a field name to a `Vary` header unless it is already there (or `Vary: *`
 * already covers everything). Use it whenever a response depends on a request
 * header, so caches keep the variants apart.
 *
 * @example
 * const headers = new Headers({ vary: 'Origin' })
 * appendVary(headers, 'Accept-Encoding') // vary: Origin, Accept-Encoding
 */
export function appendVary(headers: Headers, field: string): void {
  const current = headers.get('vary')
  if (!current) {
    headers.set('vary', field)
    return
  }
  const names = current.split(',').map((name) => name.trim().toLowerCase())
  if (names.includes('*') || names.includes(field.toLowerCase())) return
  headers.set('vary', `${current}, ${field}`)
}
