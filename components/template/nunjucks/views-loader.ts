import { readFileSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import nunjucks from 'nunjucks'
import { findView, templateFile } from '../../../core/template-kit/index.js'

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
    const file = templateFile(name, this.#extension)
    // Relative names (`./x`) arrive already resolved against the including file: absolute.
    const candidates = isAbsolute(file) ? [file] : this.#roots.map((root) => resolve(root, file))
    const path = findView(name, file, this.#roots, candidates)
    return { src: readFileSync(path, 'utf8'), path, noCache: !this.#cache }
  }
}
