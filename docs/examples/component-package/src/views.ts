import { statSync } from 'node:fs'
import { extname, isAbsolute, relative, resolve } from 'node:path'

/** Thrown when a name is in none of the views directories; becomes `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` at the top of a render. */
export class MissingTemplate extends Error {
  constructor(
    readonly template: string,
    file: string,
    roots: readonly string[],
  ) {
    super(`looked for '${file}' in ${roots.join(', ')}`)
  }
}

const isFile = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/**
 * The file template `name` stands for: the name plus `extension` unless it has
 * one, in the first of the views `roots` that holds it. A name that leads out
 * of a root (`../secrets`) is never read there, not even from a sibling
 * directory sharing the root's prefix.
 *
 * @throws MissingTemplate when no root holds it.
 * @example
 * findView('partials/item', ['/app/views'], '.hbs') // '/app/views/partials/item.hbs'
 */
export function findView(name: string, roots: readonly string[], extension: string): string {
  const file = extname(name) ? name : name + extension
  const found = roots
    .map((root) => [root, resolve(root, file.replace(/^[/\\]+/, ''))] as const)
    .find(([root, path]) => inside(root, path) && isFile(path))
  if (!found) throw new MissingTemplate(name, file, roots)
  return found[1]
}
