import {
  DovetailError,
  type FetchHandler,
  type InjectableClass,
  type MountOptions,
  type RouteDefinition,
  type RouteInfo,
  type RouteMatch,
  type Router,
  type UrlParams,
} from '../../../core/index.js'
import { RadixRouter } from '../radix/index.js'
import { buildPath } from './build-path.js'
import { type Action, type Node, TreeCompiler } from './compile.js'
import type { ControllerTree } from './controller.js'
import { Dispatcher } from './dispatch.js'
import { decodeSegments, type SegmentLimits } from './segments.js'
import { type NamedPath, treePaths } from './tree-paths.js'
import { TreeRoutes } from './tree-routes.js'

export interface ObjectDispatchRouterOptions {
  /** The controller for `/`: its keys are the first segment of every path. */
  root: ControllerTree
  /**
   * A path segment longer than this (as sent, percent-encoded) answers 404,
   * in the tree and in the parameters of routes added with `add()`: a guard
   * against abuse, as the radix router's option of the same name.
   * @default 500
   */
  maxParamLength?: number
  /** A path with more segments answers 404 before any `_lookup` runs. @default 100 */
  maxSegments?: number
}

/**
 * The router slot by object dispatch, as TurboGears routes: a path walks a
 * tree of controllers, `/pages/edit` answering with `root.pages.edit`.
 *
 * Routes added with `add()` (by `routes(r)`, presets, components) and mounts
 * keep working: they are matched first, by the radix router, exactly as
 * there, for the methods they declare; the tree answers what they do not.
 *
 * `routes()` lists the tree's actions (depth first, each controller's
 * `index`, keys in order, `lookup()`, then `_default`), then the routes and
 * mounts added, in the order added; `match` names the entry that answered.
 */
export class ObjectDispatchRouter implements Router {
  readonly #explicit: RadixRouter
  readonly #root: Node
  readonly #dispatcher: Dispatcher
  readonly #limits: SegmentLimits
  readonly #treeNames: ReadonlyMap<string, NamedPath>
  readonly #treeRoutes: TreeRoutes
  /** Names of routes added with add(), with their paths. */
  readonly #addedNames = new Map<string, string>()
  /** Whether add() or mount() was called: until then the radix router, whose miss tries every method for a 405, is skipped. */
  #hasExplicit = false
  /** The controller classes the tree's actions resolve per request; the component registers them (scoped) in the container. */
  readonly controllerClasses: ReadonlySet<InjectableClass>

  constructor(options: ObjectDispatchRouterOptions) {
    this.#limits = { maxParamLength: options.maxParamLength ?? 500, maxSegments: options.maxSegments ?? 100 }
    for (const [key, value] of Object.entries(this.#limits)) {
      if (!Number.isInteger(value) || value < 1) throw new DovetailError('DOVETAIL_ERR_CONFIG_INVALID', `ObjectDispatchRouter: ${key} must be a positive integer, got ${String(value)}.`)
    }
    this.#explicit = new RadixRouter({ maxParamLength: this.#limits.maxParamLength })
    const compiler = new TreeCompiler()
    this.#root = compiler.compile(options.root, 'root')
    const paths = treePaths(this.#root)
    this.#treeNames = paths.names
    this.#treeRoutes = new TreeRoutes(paths.actions)
    this.controllerClasses = paths.classes
    this.#dispatcher = new Dispatcher(compiler, paths.nodes)
  }

  add(route: RouteDefinition): void {
    if (route.name !== undefined) {
      const inTree = this.#treeNames.get(route.name)
      if (inTree && inTree.path !== route.path) {
        throw new DovetailError('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME', `Route name '${route.name}' is used by ${inTree.path} (the controller tree) and by ${route.path}.`)
      }
    }
    this.#explicit.add(route)
    this.#hasExplicit = true
    if (route.name !== undefined) this.#addedNames.set(route.name, route.path)
  }

  mount(prefix: string, fetch: FetchHandler, options?: MountOptions): void {
    this.#explicit.mount(prefix, fetch, options)
    this.#hasExplicit = true
  }

  match(method: string, path: string): RouteMatch {
    const explicit: RouteMatch = this.#hasExplicit ? this.#explicit.match(method, path) : { kind: 'not-found' }
    if (explicit.kind === 'route' || explicit.kind === 'mount') return explicit
    const segments = decodeSegments(path, this.#limits)
    const found = segments && this.#dispatcher.find(this.#root, segments)
    if (!found) return explicit
    const answering = found.action.handlers.has(method) ? method : method === 'HEAD' && found.action.handlers.has('GET') ? 'GET' : undefined
    if (answering) return { kind: 'route', handler: found.action.handlers.get(answering)!, params: found.params, route: this.#treeRoutes.find(found, answering) }
    const allowed = new Set([...allowedMethods(found.action), ...(explicit.kind === 'method-not-allowed' ? explicit.allowed : [])])
    return { kind: 'method-not-allowed', allowed: [...allowed].sort() }
  }

  /**
   * The tree's actions, then the routes and mounts added with `add()` and
   * `mount()` in the order added (matched before the tree all the same). A
   * tree action is listed once per handler with the methods it answers, its
   * pattern as its place says (keys, `:param` for `lookup()` and `params`,
   * `*` for `_default`), its name, and the line of its `expose()` as
   * `source`. What a hand-written `_lookup` leads to is decided per request,
   * so it is not listed, and a match through one names no route.
   */
  routes(): readonly RouteInfo[] {
    const added = this.#explicit.routes()
    return added.length ? [...this.#treeRoutes.list, ...added] : this.#treeRoutes.list
  }

  url(name: string, params?: UrlParams): string {
    const inTree = this.#treeNames.get(name)
    if (inTree) return buildPath(name, inTree, params)
    if (this.#addedNames.has(name)) return this.#explicit.url(name, params)
    const known = [...new Set([...this.#treeNames.keys(), ...this.#addedNames.keys()])].sort().join(', ') || 'none'
    throw new DovetailError('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME', `No route is named '${name}'. Named routes: ${known}.`)
  }
}

function allowedMethods(action: Action): string[] {
  const methods = [...action.handlers.keys()]
  if (methods.includes('GET') && !methods.includes('HEAD')) methods.push('HEAD')
  return methods
}
