import { readFileSync, statSync } from 'node:fs'
import { extname, isAbsolute, relative, resolve } from 'node:path'
import nunjucks from 'nunjucks'

/** Thrown for a name in none of the views directories; turned into `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` at the top. */
export class MissingTemplate extends Error {
  constructor(
    readonly template: string,
    file: string,
    searched: readonly string[],
    outside: boolean,
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
 * Finds templates in the views directories, in order, adding the extension
 * to a name that has none. Unlike nunjucks' FileSystemLoader it refuses a
 * sibling directory that merely shares the root's prefix (`views-private`),
 * and says which template is missing instead of returning nothing.
 *
 * Without `cache`, every source is marked `noCache`, so nunjucks reads and
 * compiles the file again on each render: a change shows on the next request.
 */
export class ViewsLoader extends nunjucks.Loader implements nunjucks.ILoader {
  readonly #roots: readonly string[]
  readonly #extension: string
  readonly #cache: boolean

  constructor(roots: readonly string[], extension: string, cache: boolean) {
    super()
    this.#roots = roots
    this.#extension = extension
    this.#cache = cache
  }

  getSource(name: string): nunjucks.LoaderSource {
    const file = extname(name) ? name : name + this.#extension
    // Relative names (`./x`) arrive already resolved against the including file: absolute.
    const candidates = isAbsolute(file) ? [file] : this.#roots.map((root) => resolve(root, file))
    const allowed = candidates.filter((p) => this.#roots.some((root) => inside(root, p)))
    const path = allowed.find(isFile)
    if (!path) throw new MissingTemplate(name, file, this.#roots, allowed.length === 0)
    return { src: readFileSync(path, 'utf8'), path, noCache: !this.#cache }
  }
}
