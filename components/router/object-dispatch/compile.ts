import { DovetailError, type Handler } from '../../../core/index.js'
import { Controller, declaredLookup, isController, type LookupHook } from './controller.js'
import { ObjectDispatchInvalidTree } from './errors.js'
import { type Exposed, isExposed } from './expose.js'

/** One or more exposed actions at one key, merged: the methods of one path. */
export interface Action {
  readonly kind: 'action'
  readonly handlers: ReadonlyMap<string, Handler>
  readonly params: readonly string[]
  readonly exposed: readonly Exposed[]
}

export interface CompiledLookup {
  readonly hook: LookupHook
  /** The controller the hook is called on (`this`). */
  readonly self: object
  /** Set for `lookup(param, controller)`: where it leads, known before any request. */
  readonly declared: { readonly param: string; readonly node: Node } | undefined
}

/**
 * A controller as the dispatcher reads it. Children are in a Map built from the
 * controller's own enumerable keys once, so a segment is never looked up as a
 * property: `constructor`, `__proto__`, `toString` and the prototype's methods
 * are simply not in it.
 */
export interface Node {
  readonly kind: 'node'
  /** Where the controller was first met, for messages: `root.pages._lookup('slug').edit`. */
  readonly where: string
  readonly children: ReadonlyMap<string, Node | Action>
  readonly index: Action | undefined
  readonly fallback: Action | undefined
  readonly lookup: CompiledLookup | undefined
}

const hooks = new Set(['_lookup', '_default'])

/**
 * Turns controller objects into {@link Node}s, each object once (shared
 * subtrees are compiled once; a controller inside itself is refused).
 */
export class TreeCompiler {
  readonly #compiled = new WeakMap<object, Node>()
  readonly #inProgress = new Set<object>()

  compile(controller: unknown, where: string): Node {
    if (!isController(controller)) {
      throw ObjectDispatchInvalidTree(`${where} must be a controller: a plain object or an instance of a Controller subclass, got ${describe(controller)}.`)
    }
    const done = this.#compiled.get(controller)
    if (done) return done
    if (this.#inProgress.has(controller)) throw ObjectDispatchInvalidTree(`${where} is a controller that contains itself; a tree has no cycles.`)
    this.#inProgress.add(controller)
    try {
      const node = this.#build(controller, where)
      this.#compiled.set(controller, node)
      return node
    } finally {
      this.#inProgress.delete(controller)
    }
  }

  #build(controller: object, where: string): Node {
    const children = new Map<string, Node | Action>()
    let index: Action | undefined
    const values = controller as Record<string, unknown>
    for (const key of Object.keys(controller)) {
      if (hooks.has(key)) continue
      const value = values[key]
      const at = `${where}.${key}`
      const actions = actionsOf(value)
      if (key === 'index') {
        if (!actions) throw ObjectDispatchInvalidTree(`${at} must be an action made by expose(), got ${describe(value)}: index answers the controller's own path.`)
        index = merge(actions, at)
        if (index.params.length) throw ObjectDispatchInvalidTree(`${at} takes params [${index.params.join(', ')}]; index answers the controller's own path, so it takes none (use a key of its own, or lookup()).`)
        continue
      }
      if (key.startsWith('_')) {
        // Names starting with _ are never routed. A controller there is one a _lookup may return; an action
        // there nothing can reach, which is a mistake to report.
        if (actions) throw ObjectDispatchInvalidTree(`${at} holds an action, but segments starting with _ are never routed: rename it.`)
        continue
      }
      if (actions) children.set(key, merge(actions, at))
      else if (isController(value)) children.set(key, this.compile(value, at))
      else if (typeof value === 'function' && isClass(value)) {
        const name = (value as Function).name || 'Class'
        throw ObjectDispatchInvalidTree(`${at} holds the class ${name}; a class is not a controller. Route its methods with expose([${name}, 'method']), or use an instance of a Controller subclass.`)
      } else if (typeof value === 'object' && value !== null) {
        throw ObjectDispatchInvalidTree(
          `${at} holds ${describe(value)}, which is neither an action, a controller (a plain object or a Controller instance) nor a helper: extend Controller, or keep it in a # field or under a name starting with _.`,
        )
      }
      // Functions and plain values are helpers: never routed.
    }
    return { kind: 'node', where, children, index, fallback: this.#fallback(controller, where), lookup: this.#lookup(controller, where) }
  }

  #fallback(controller: object, where: string): Action | undefined {
    const value = hookOf(controller, '_default')
    if (value === undefined) return undefined
    const actions = actionsOf(value)
    if (!actions) throw ObjectDispatchInvalidTree(`${where}._default must be an action made by expose(), got ${describe(value)}.`)
    const action = merge(actions, `${where}._default`)
    if (action.params.length) throw ObjectDispatchInvalidTree(`${where}._default takes params; it receives what is left of the path as ctx.params['*'] instead.`)
    return action
  }

  #lookup(controller: object, where: string): CompiledLookup | undefined {
    const hook = hookOf(controller, '_lookup')
    if (hook === undefined) return undefined
    if (typeof hook !== 'function') throw ObjectDispatchInvalidTree(`${where}._lookup must be a function or lookup(param, controller), got ${describe(hook)}.`)
    const declared = declaredLookup(hook as LookupHook)
    return {
      hook: hook as LookupHook,
      self: controller,
      declared: declared && { param: declared.param, node: this.compile(declared.controller, `${where}._lookup('${declared.param}')`) },
    }
  }
}

/** A hook of a plain object is its own property; of a Controller instance, also one of its class's methods (never Object.prototype's). */
function hookOf(controller: object, key: string): unknown {
  for (let level: object | null = controller; level !== null && level !== Controller.prototype && level !== Object.prototype; level = Object.getPrototypeOf(level)) {
    if (Object.hasOwn(level, key)) return (controller as Record<string, unknown>)[key]
    if (!(controller instanceof Controller)) break
  }
  return undefined
}

function actionsOf(value: unknown): readonly Exposed[] | undefined {
  if (isExposed(value)) return [value]
  if (Array.isArray(value) && value.length > 0 && value.every(isExposed)) return value
  return undefined
}

/** The exposed actions at one key as one: every method once, one list of params. */
function merge(actions: readonly Exposed[], at: string): Action {
  const handlers = new Map<string, Handler>()
  const params = actions[0]!.params
  for (const action of actions) {
    if (action.params.join('/') !== params.join('/')) {
      throw ObjectDispatchInvalidTree(`${at}: its actions take different params ([${params.join(', ')}] and [${action.params.join(', ')}]); one key has one path.`)
    }
    for (const [method, handler] of action.handlers) {
      if (handlers.has(method)) throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `${at}: two of its actions answer ${method}.`)
      handlers.set(method, handler)
    }
  }
  return { kind: 'action', handlers, params, exposed: actions }
}

const isClass = (fn: Function): boolean => /^class[\s{]/.test(Function.prototype.toString.call(fn))

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array that is not a list of expose() actions'
  if (typeof value === 'object') return `an instance of ${Object.getPrototypeOf(value)?.constructor?.name ?? 'an unknown class'}`
  return typeof value
}
