// A registry symbol, so that two copies of the package still agree on what is safe.
const brand = Symbol.for('dovetail.safe-html')

/**
 * HTML that a template prints as it is, without escaping. Every template
 * component honours it where a helper, filter or global returns one and where
 * it is a top-level data value, so a helper such as `csrfField()` can emit
 * markup in every engine without `| safe` or `<%~ %>` at the call site.
 *
 * Only wrap HTML you built yourself or sanitized: this is the one way around
 * autoescaping.
 *
 * @example
 * ctx.render('pages/show', { page, body: new SafeHtml(sanitizeHtml(marked.parse(page.source))) })
 */
export class SafeHtml {
  readonly [brand] = true
  constructor(readonly html: string) {}
  toString(): string {
    return this.html
  }
}

/**
 * Mark a string of HTML as safe to print unescaped.
 *
 * @example
 * const csrfField = () => safeHtml(`<input type="hidden" name="_csrf" value="${escapeHtml(token)}">`)
 */
export const safeHtml = (html: string): SafeHtml => new SafeHtml(html)

/**
 * Whether a value is a {@link SafeHtml}, from this copy of Dovetail or another.
 *
 * @example
 * const print = (v: unknown) => (isSafeHtml(v) ? v.html : escapeHtml(v))
 */
export const isSafeHtml = (value: unknown): value is SafeHtml =>
  typeof value === 'object' && value !== null && (value as { [brand]?: unknown })[brand] === true

// The backslash too, as nunjucks does; `=` and the backtick because they end an
// unquoted attribute value (and the backtick quoted one in old Internet Explorer).
const entities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '\\': '&#92;',
  '=': '&#61;',
  '`': '&#96;',
}
const special = /[&<>"'\\=`]/g

/** What {@link escapeHtml} prints for a value that cannot become a string (e.g. `{ toString: 1 }`, `Object.create(null)`). */
const UNPRINTABLE = '[object Object]'

function toText(value: unknown): string {
  try {
    return String(value)
  } catch (error) {
    // No callable toString/valueOf/Symbol.toPrimitive: a value, not a bug of the caller's, so print a placeholder.
    if (error instanceof TypeError) return UNPRINTABLE
    throw error
  }
}

/**
 * Escape a value for HTML text or an attribute value (`& < > " ' \ = \``; `=` and the
 * backtick matter in unquoted attributes). `SafeHtml` passes through; `null` and
 * `undefined` print as nothing; a value that cannot become a string (its `toString`
 * is not a function, or it has a null prototype) prints as `[object Object]`
 * instead of throwing.
 *
 * @example
 * escapeHtml('<b>"hi"</b>') // '&lt;b&gt;&quot;hi&quot;&lt;/b&gt;'
 * escapeHtml(Object.create(null)) // '[object Object]'
 */
export function escapeHtml(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (isSafeHtml(value)) return value.html
  const text = toText(value)
  return text.replace(special, (c) => entities[c] as string)
}
