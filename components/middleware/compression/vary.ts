/**
 * Add a field name to a `Vary` header unless it is already there (or `Vary: *`
 * already covers everything). Shared with the static middleware.
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

/**
 * Apply `change` to a response's headers: in place when they are mutable, else
 * (a response from `fetch()`, whose headers are immutable) on a copy.
 */
export function withHeaders(response: Response, change: (headers: Headers) => void): Response {
  try {
    change(response.headers)
    return response
  } catch (error) {
    if (!(error instanceof TypeError)) throw error
    const headers = new Headers(response.headers)
    change(headers)
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers })
  }
}
