import { type Action, type CompiledLookup, type Node, TreeCompiler } from './compile.js'
import { isController, type Lookup } from './controller.js'
import { ObjectDispatchBadLookup, ObjectDispatchInvalidTree } from './errors.js'
import { paramName } from './expose.js'
import { type PathPart, treePaths } from './tree-paths.js'

/**
 * The way dispatch took, last step first: each part of the action's pattern,
 * or `null` for a hand-written `_lookup`, whose segments make no pattern. A
 * list that shares its start, so a step down costs one small object.
 */
export type Trail = { readonly part: PathPart | null; readonly before: Trail } | undefined

export interface Found {
  action: Action
  params: Record<string, string>
  /** How the action was reached: which of its places in the tree, when it has several. */
  trail: Trail
}

const step = (before: Trail, part: PathPart | null): Trail => ({ part, before })

/**
 * Finds the action a list of decoded segments leads to, TurboGears' object
 * dispatch: each segment is a key of the current controller; a controller
 * goes one level down, an action answers when exactly its params are left,
 * `index` answers when nothing is left. When that fails, the deepest
 * controller's hooks are tried first, then those of the controllers above:
 * `_lookup` (when segments are left), then `_default` with the rest as `*`.
 */
export class Dispatcher {
  readonly #compiler: TreeCompiler
  /** Controllers a hand-written `_lookup` returned that are known to carry no route names. */
  readonly #checked = new WeakSet<Node>()

  constructor(compiler: TreeCompiler, known: Iterable<Node>) {
    this.#compiler = compiler
    for (const node of known) this.#checked.add(node)
  }

  find(root: Node, segments: readonly string[]): Found | undefined {
    return this.#resolve(root, segments, {}, undefined)
  }

  #resolve(node: Node, segments: readonly string[], params: Record<string, string>, trail: Trail): Found | undefined {
    if (segments.length === 0) {
      if (node.index) return { action: node.index, params, trail }
    } else {
      const key = segments[0]!
      const child = node.children.get(key)
      const rest = segments.slice(1)
      if (child?.kind === 'node') {
        const found = this.#resolve(child, rest, params, step(trail, { kind: 'static', value: key }))
        if (found) return found
      } else if (child?.kind === 'action' && child.params.length === rest.length) {
        const taken = { ...params }
        let at = step(trail, { kind: 'static', value: key })
        child.params.forEach((name, i) => {
          taken[name] = rest[i]!
          at = step(at, { kind: 'param', name })
        })
        return { action: child, params: taken, trail: at }
      }
      if (node.lookup) {
        const next = this.#lookup(node, node.lookup, segments)
        const declared = node.lookup.declared
        const found = next && this.#resolve(next.node, next.remainder, { ...params, ...next.params }, step(trail, declared ? { kind: 'param', name: declared.param } : null))
        if (found) return found
      }
    }
    if (node.fallback) return { action: node.fallback, params: { ...params, '*': segments.join('/') }, trail: step(trail, { kind: 'rest' }) }
    return undefined
  }

  #lookup(node: Node, lookup: CompiledLookup, segments: readonly string[]): { node: Node; remainder: readonly string[]; params: Record<string, string> } | undefined {
    if (lookup.declared) return { node: lookup.declared.node, remainder: segments.slice(1), params: { [lookup.declared.param]: segments[0]! } }
    const result: unknown = lookup.hook.apply(lookup.self, [...segments])
    if (result === undefined) return undefined
    const bad = (why: string) => ObjectDispatchBadLookup(`${node.where}._lookup(${segments.map((s) => JSON.stringify(s)).join(', ')}) ${why}`)
    if (typeof result !== 'object' || result === null) throw bad(`returned ${result === null ? 'null' : typeof result}; return { controller, remainder } or undefined.`)
    const { controller, remainder, params = {} } = result as Lookup
    if (!isController(controller)) throw bad('returned no controller (a plain object or a Controller instance).')
    if (!Array.isArray(remainder) || !remainder.every((s) => typeof s === 'string')) throw bad('returned no remainder (the segments left, as strings).')
    // Each lookup consumes a segment, so dispatch ends however lookups chain.
    if (remainder.length >= segments.length) throw bad(`returned ${remainder.length} segments of ${segments.length}; a lookup consumes at least one.`)
    if (typeof params !== 'object' || params === null) throw bad('returned params that are not an object.')
    for (const [name, value] of Object.entries(params)) {
      if (!paramName.test(name) || typeof value !== 'string') throw bad(`returned the parameter ${JSON.stringify(name)}; names are letters, digits and _ (not __proto__), values strings.`)
    }
    return { node: this.#compiled(controller, `${node.where}._lookup(…)`), remainder, params: { ...params } }
  }

  /** A controller a hand-written lookup returned, compiled (once per object); it may not name routes, since url() could never know their paths. */
  #compiled(controller: object, where: string): Node {
    const node = this.#compiler.compile(controller, where)
    if (this.#checked.has(node)) return node
    const names = [...treePaths(node).names.keys()]
    if (names.length) {
      throw ObjectDispatchInvalidTree(
        `${where} returned a controller whose actions are named (${names.join(', ')}), but url() cannot know a path a hand-written _lookup decides: reach it with lookup(param, controller), or drop the names.`,
      )
    }
    this.#checked.add(node)
    return node
  }
}
