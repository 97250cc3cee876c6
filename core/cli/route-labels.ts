import { relative } from 'node:path'
import { allMethods } from '../app/routes.js'
import type { ChainStep } from '../app/assemble-app.js'
import type { RouteInfo } from '../slots/router.js'

/**
 * How `dovetail routes` and `dovetail explain` name a route's parts.
 */

/** `GET`, `GET POST`, `*` for every method (`r.all`, a mount). */
export function methodsLabel(info: RouteInfo): string {
  if (info.kind === 'mount') return '*'
  return allMethods.every((m) => info.methods.includes(m)) ? '*' : info.methods.join(' ')
}

/** The path as written; a mount's prefix with `/*`, for everything below it. */
export const pathLabel = (info: RouteInfo): string => (info.kind === 'mount' ? `${info.path}/*` : info.path)

/** The handler's name (`home`, `NoteController.show`), `(anonymous)`, or for a mount `mount: <name>`. */
export function handlerLabel(info: RouteInfo): string {
  const fn = info.kind === 'mount' ? info.fetch : info.handler
  const name = fn.name && fn.name !== 'bound fetch' ? fn.name.replace(/^bound /, '') : '(anonymous)'
  return info.kind === 'mount' ? `mount: ${name === '(anonymous)' ? 'a fetch handler' : name}` : name
}

/** A source `file:line` relative to the project (`app.ts:12`), or `-` when the router does not know it. */
export function sourceLabel(source: string | undefined, root: string): string {
  if (!source) return '-'
  const found = /^(.*):(\d+)$/.exec(source)
  if (!found) return source
  const file = relative(root, found[1]!) || found[1]!
  return `${file}:${found[2]}`
}

/** A source as JSON: `{ file, line }` with the file relative to the project, or null. */
export function sourceJson(source: string | undefined, root: string): { file: string; line: number } | null {
  const found = source && /^(.*):(\d+)$/.exec(source)
  return found ? { file: relative(root, found[1]!) || found[1]!, line: Number(found[2]) } : null
}

/** The middleware chain in one line, outermost first. */
export const chainLabel = (chain: readonly ChainStep[]): string => (chain.length ? chain.map((s) => s.name).join(' → ') : '(none)')

/** The middleware scoped to a route (its groups' and its own `use`), outermost first; none for a mount. */
export const scopedMiddleware = (info: RouteInfo | undefined): readonly string[] => (info?.kind === 'route' ? (info.middleware ?? []) : [])

/** The parts of the request a route's schemas check, in the order they run (`['params', 'body']`); empty without schemas. */
export function validatedParts(info: RouteInfo | undefined): string[] {
  const schemas = info?.kind === 'route' ? info.schemas : undefined
  if (!schemas) return []
  return (['params', 'query', 'headers', 'body'] as const).filter((part) => schemas[part] !== undefined)
}
