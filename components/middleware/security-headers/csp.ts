/** A directive's sources (`"'self' https://cdn.example"` or a list), `true` for one that takes none, `false` to drop a default. */
export type CspValue = string | readonly string[] | boolean

export type CspDirectives = Readonly<Record<string, CspValue>>

/**
 * The default policy: everything from the page's own origin, no plugins, no
 * framing, no `<base>` or form posts elsewhere, images also as data: URLs.
 * Inline scripts and styles are refused: use files, or a nonce.
 */
export const defaultCspDirectives: CspDirectives = {
  'default-src': "'self'",
  'base-uri': "'self'",
  'font-src': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
  'img-src': ["'self'", 'data:'],
  'object-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
}

const keywords = new Set(['self', 'none', 'unsafe-inline', 'unsafe-eval', 'strict-dynamic', 'unsafe-hashes', 'wasm-unsafe-eval', 'report-sample', 'inline-speculation-rules'])

const sourcesOf = (value: Exclude<CspValue, boolean>): string[] =>
  (typeof value === 'string' ? value.split(/\s+/) : value.flatMap((v) => v.split(/\s+/))).filter(Boolean)

/**
 * What is wrong with a directive, or `undefined`. The checks catch the
 * mistakes that silently weaken or break a policy: a camelCase name, a
 * separator smuggled into a value, a keyword without its quotes (`self` is a
 * host name; `'self'` is the keyword).
 */
export function cspProblem(name: string, value: CspValue): string | undefined {
  if (!/^[a-z][a-z-]*$/.test(name)) return `directive '${name}' is not a CSP directive name; write them as in the header, e.g. 'default-src', 'img-src'`
  if (typeof value === 'boolean') return undefined
  for (const source of sourcesOf(value)) {
    if (/[;,\r\n\0]/.test(source)) return `directive '${name}' has '${source}', which contains a separator (; or ,) or a control character`
    if (keywords.has(source.toLowerCase())) return `directive '${name}' has ${source} without quotes, which is a host name; write "'${source}'" with the single quotes`
  }
  return undefined
}

/**
 * The header value for a set of directives, merged over the defaults unless
 * `useDefaults` is false.
 *
 * @example
 * buildCsp({ 'img-src': ["'self'", 'https://images.example'] }, true)
 * // "default-src 'self'; base-uri 'self'; …; img-src 'self' https://images.example; …"
 */
export function buildCsp(directives: CspDirectives, useDefaults: boolean): string {
  const merged: Record<string, CspValue> = { ...(useDefaults ? defaultCspDirectives : {}), ...directives }
  const parts: string[] = []
  for (const [name, value] of Object.entries(merged)) {
    if (value === false) continue
    parts.push(value === true ? name : [name, ...sourcesOf(value)].join(' '))
  }
  return parts.join('; ')
}
