import { DovetailError, type FetchHandler, type MountOptions, type RouteDefinition, type RouteInfo, type RouteMatch, type Router, type UrlParams } from 'dovetailjs'
import { expose, lookup, ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'

type Tree = { [key: string]: unknown }
type Mount = [prefix: string, fetch: FetchHandler, options: MountOptions | undefined]
type Listed = { list: readonly RouteInfo[]; asListed: ReadonlyMap<RouteInfo, RouteInfo> }

/**
 * A router for the router conformance kit that keeps no route table: each
 * route the kit adds is written into a controller tree, and an
 * ObjectDispatchRouter is built on that tree, so the kit's assertions are
 * answered by tree dispatch. A static segment becomes a key holding a
 * controller, `:name` that controller's `lookup('name', …)`, a final `*` its
 * `_default`; the route's handler is exposed as the `index` of the controller
 * it ends at, with the route's methods and name. Mounts go to the router's
 * mounts, and a path that is no pattern (no leading /) to its add(), whose
 * checks are the router's own.
 *
 * routes() and the route `match` names come from the tree router's: the
 * methods, pattern, handler and name of each entry are what the tree says
 * of the action. Only two things are this adapter's, since the tree keeps
 * neither: the order of the kit's add() and mount() calls, and each route's
 * `source` (its definition's, not the line of the expose() call here).
 */
export class RoutesAsTree implements Router {
  readonly #routes: RouteDefinition[] = []
  readonly #mounts: Mount[] = []
  /** What was added, in order: a route, or the index of a mount. */
  readonly #order: (RouteDefinition | number)[] = []
  #router = new ObjectDispatchRouter({ root: {} })
  #listed: Listed = { list: [], asListed: new Map() }

  add(route: RouteDefinition): void {
    if (!route.path.startsWith('/')) return this.#router.add(route)
    // Built before it is kept, so a route the tree refuses leaves the router as it was.
    this.#router = this.#build([...this.#routes, route], this.#mounts)
    this.#routes.push(route)
    this.#order.push(route)
    this.#listed = this.#list()
  }

  mount(prefix: string, fetch: FetchHandler, options?: MountOptions): void {
    this.#router = this.#build(this.#routes, [...this.#mounts, [prefix, fetch, options]])
    this.#order.push(this.#mounts.length)
    this.#mounts.push([prefix, fetch, options])
    this.#listed = this.#list()
  }

  match(method: string, path: string): RouteMatch {
    const match = this.#router.match(method, path)
    if (match.kind !== 'route' || match.route === undefined) return match
    return { ...match, route: this.#listed.asListed.get(match.route) }
  }

  url(name: string, params?: UrlParams): string {
    return this.#router.url(name, params)
  }

  routes(): readonly RouteInfo[] {
    return this.#listed.list
  }

  /** The tree router's entries in the order the kit added them, each route with its definition's source. */
  #list(): Listed {
    const entries = this.#router.routes()
    const mounts = entries.filter((e) => e.kind === 'mount')
    const asListed = new Map<RouteInfo, RouteInfo>()
    const list = this.#order.map((added) => {
      if (typeof added === 'number') return mounts[added]!
      // By handler, or for a route with schemas (whose handler expose() wraps with validation) by path and methods.
      const entry = entries.find(
        (e) =>
          e.kind === 'route' &&
          (e.handler === added.handler || (added.schemas !== undefined && e.schemas === added.schemas)) &&
          e.path === added.path &&
          e.methods.join() === added.methods.map((m) => m.toUpperCase()).join(),
      )
      if (!entry) throw new Error(`RoutesAsTree: the tree router lists no route for ${added.methods.join(',')} ${added.path}.`)
      // Its own properties as the tree router gives them, but the definition's source (a getter, left unread).
      const listed = Object.defineProperties({}, { ...Object.getOwnPropertyDescriptors(entry), source: Object.getOwnPropertyDescriptor(added, 'source') ?? { value: undefined, enumerable: true } }) as RouteInfo
      asListed.set(entry, listed)
      return listed
    })
    return { list, asListed }
  }

  #build(routes: readonly RouteDefinition[], mounts: readonly Mount[]): ObjectDispatchRouter {
    const root: Tree = {}
    const actions = new Map<Tree, ReturnType<typeof expose>[]>()
    for (const route of routes) {
      const parts = route.path === '/' ? [] : route.path.slice(1).split('/')
      let node = root
      parts.forEach((part, i) => {
        if (part === '*' && i === parts.length - 1) return
        node = part.startsWith(':') ? paramChild(node, part.slice(1)) : staticChild(node, part)
      })
      const exposed = expose(route.handler, {
        methods: route.methods,
        ...(route.name === undefined ? {} : { name: route.name }),
        ...(route.schemas === undefined ? {} : { schemas: route.schemas }),
        ...route.docs,
      })
      if (parts.at(-1) === '*') node._default = [...((node._default as []) ?? []), exposed]
      else actions.set(node, [...(actions.get(node) ?? []), exposed])
    }
    for (const [node, list] of actions) node.index = list
    const router = new ObjectDispatchRouter({ root })
    for (const [prefix, fetch, options] of mounts) router.mount(prefix, fetch, options)
    return router
  }
}

/** The controller a static segment leads to, made on first use. */
function staticChild(node: Tree, key: string): Tree {
  node[key] ??= {}
  return node[key] as Tree
}

/** The controller behind `node`'s lookup of `param`; one parameter name per position, as one `_lookup` per controller. */
const lookups = new WeakMap<Tree, { param: string; child: Tree }>()
function paramChild(node: Tree, param: string): Tree {
  const existing = lookups.get(node)
  if (existing && existing.param !== param) {
    throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `:${param} and :${existing.param} at one position: a controller has one _lookup.`)
  }
  if (existing) return existing.child
  const child: Tree = {}
  lookups.set(node, { param, child })
  node._lookup = lookup(param, child)
  return child
}
