import { DovetailError, type InjectableClass } from '../../../core/index.js'
import type { Action, Node } from './compile.js'
import { ObjectDispatchInvalidTree } from './errors.js'

/** A piece of an action's path: a key, a parameter (from `lookup()` or `params`), or the rest (`_default`). */
export type PathPart = { kind: 'static'; value: string } | { kind: 'param'; name: string } | { kind: 'rest' }

export interface NamedPath {
  parts: readonly PathPart[]
  /** As a pattern, for messages and to compare with routes added by `add()`: `/pages/:slug/edit`. */
  path: string
}

/** An action where it sits in the tree; a controller shared by two keys puts its actions at two places. */
export interface PlacedAction {
  action: Action
  parts: readonly PathPart[]
  /** {@link patternOf} the parts: `/pages/:slug/edit`. */
  path: string
}

export interface TreePaths {
  names: Map<string, NamedPath>
  /**
   * Every action at every place known before a request, depth first: at each
   * controller its `index`, then its keys in their order, then what its
   * `lookup()` leads to, then its `_default`, which takes what those leave.
   */
  actions: PlacedAction[]
  classes: Set<InjectableClass>
  /** Every controller reached. */
  nodes: Set<Node>
}

/** `/pages/:slug/edit`: keys percent-encoded as in a URL, so a key can never read as `:param` or `*`. */
export const patternOf = (parts: readonly PathPart[]): string =>
  '/' + parts.map((p) => (p.kind === 'static' ? encodeURIComponent(p.value) : p.kind === 'param' ? `:${p.name}` : '*')).join('/')

/**
 * Every path the tree answers that is known before a request (keys and
 * `lookup()`; hand-written `_lookup`s decide at request time): the actions
 * there, the names on them, the controller classes their actions resolve, and parameter names that
 * would overwrite one another.
 */
export function treePaths(root: Node): TreePaths {
  const found: TreePaths = { names: new Map(), actions: [], classes: new Set(), nodes: new Set() }
  walk(root, [], found)
  return found
}

function walk(node: Node, parts: readonly PathPart[], found: TreePaths): void {
  found.nodes.add(node)
  if (node.index) record(node.index, parts, found)
  for (const [key, child] of node.children) {
    const here = [...parts, { kind: 'static', value: key } as const]
    if (child.kind === 'node') walk(child, here, found)
    else record(child, [...here, ...child.params.map((name) => ({ kind: 'param', name }) as const)], found)
  }
  const declared = node.lookup?.declared
  if (declared) walk(declared.node, [...parts, { kind: 'param', name: declared.param }], found)
  if (node.fallback) record(node.fallback, [...parts, { kind: 'rest' }], found)
}

function record(action: Action, parts: readonly PathPart[], found: TreePaths): void {
  const path = patternOf(parts)
  const params = parts.flatMap((p) => (p.kind === 'param' ? [p.name] : []))
  const repeated = params.find((name, i) => params.indexOf(name) !== i)
  if (repeated) throw ObjectDispatchInvalidTree(`${path}: the parameter '${repeated}' is taken twice along the path, so one value would hide the other; rename one.`)
  found.actions.push({ action, parts, path })
  for (const exposed of action.exposed) {
    for (const cls of exposed.classes) found.classes.add(cls)
    if (exposed.name === undefined) continue
    const existing = found.names.get(exposed.name)
    if (existing && existing.path !== path) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME', `Route name '${exposed.name}' is used by ${existing.path} and by ${path}.`)
    }
    found.names.set(exposed.name, { parts, path })
  }
}
