import { statSync } from 'node:fs'
import { extname, isAbsolute, relative } from 'node:path'

/**
 * Thrown when a name is in none of the views directories; the engine turns it
 * into `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` at the top with {@link templateNotFound}.
 *
 * @example
 * const missing = causeChain(error).find((e) => e instanceof MissingTemplate)
 * if (missing) throw templateNotFound('@acme/template-foo', missing, '', error)
 */
export class MissingTemplate extends Error {
  constructor(
    readonly template: string,
    file: string,
    searched: readonly string[],
    outside: boolean,
    /** The template that asked for this one, when the engine knows it. */
    readonly from?: string,
  ) {
    super(outside ? `'${file}' is outside the views directories (${searched.join(', ')})` : `looked for '${file}' in ${searched.join(', ')}`)
  }
}

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false
const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The first of `candidates` (absolute paths, in search order) that is a file
 * inside one of the views `roots`. A candidate outside every root is never
 * read, not even a sibling directory sharing a root's prefix (`views-private`).
 *
 * @throws MissingTemplate naming `file` and the roots, and whether every candidate was outside them.
 * @example
 * const path = findView('pages/home', 'pages/home.eta', roots, roots.map((root) => resolve(root, 'pages/home.eta')))
 */
export function findView(template: string, file: string, roots: readonly string[], candidates: readonly string[], from?: string): string {
  const allowed = candidates.filter((candidate) => roots.some((root) => inside(root, candidate)))
  const found = allowed.find(isFile)
  if (!found) throw new MissingTemplate(template, file, roots, allowed.length === 0, from)
  return found
}

/**
 * The file a template name stands for: the name as it is when it has an
 * extension, else the name plus the engine's `extension` option.
 *
 * @example
 * templateFile('pages/home', '.njk')     // 'pages/home.njk'
 * templateFile('feed.xml', '.njk')       // 'feed.xml'
 */
export const templateFile = (name: string, extension: string): string => (extname(name) ? name : name + extension)
