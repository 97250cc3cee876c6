import { statSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'
import { DovetailError } from '../../../core/index.js'

// template/nunjucks imports this file too, so it must import neither engine's package.

/** Thrown when a name is in none of the views directories; turned into `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` at the top. */
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
 * `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` for a `MissingTemplate`: `component` is the
 * component's name, `where` what the engine knows about who asked for it.
 *
 * @example
 * throw templateNotFound('template/eta', missing, '', error)
 */
export function templateNotFound(component: string, missing: MissingTemplate, where: string, cause: unknown): DovetailError {
  return new DovetailError(
    'DOVETAIL_ERR_TEMPLATE_NOT_FOUND',
    `${component}: template '${missing.template}'${where} was not found: ${missing.message}. Check the name and the views option.`,
    { cause },
  )
}

/**
 * An error followed by its `cause`s, outermost first, stopping at a cycle:
 * engines wrap what a template threw, once per template it passes through.
 *
 * @example
 * const thrown = causeChain(error).at(-1)
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && !chain.includes(e); e = (e as { cause?: unknown } | null)?.cause) chain.push(e)
  return chain
}
