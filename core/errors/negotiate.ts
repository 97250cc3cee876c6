/**
 * Whether a client would rather read HTML than JSON, from its `Accept` header.
 * Browsers ask for text/html first; API clients, curl and fetch() don't, and
 * get JSON. Quality values are honoured when both types are named.
 */
export function prefersHtml(accept: string | null): boolean {
  if (!accept) return false
  let html = -1
  let json = -1
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1)
    if (type === 'text/html' || type === 'application/xhtml+xml') html = Math.max(html, q)
    else if (type === 'application/json' || type.endsWith('+json')) json = Math.max(json, q)
  }
  return html > 0 && html >= json
}
