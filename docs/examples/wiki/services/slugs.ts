/** What a page address may be: letters, digits, `-` and `_`, up to 100 characters, starting with a letter or digit. */
export const slugPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/

export const isSlug = (value: string): boolean => slugPattern.test(value)

/**
 * The address for a title, MoinMoin style: the words run together, each
 * capitalised (`help contents` → `HelpContents`). A title that already is a
 * valid address stays as it is, so `FrontPage` links to `/pages/FrontPage`.
 * Returns `''` when nothing usable is left (a title of punctuation only).
 *
 * @example
 * slugFor('Recent changes') // 'RecentChanges'
 */
export function slugFor(title: string): string {
  const trimmed = title.trim()
  if (isSlug(trimmed)) return trimmed
  const words = trimmed.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean)
  return words
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
    .slice(0, 100)
}
