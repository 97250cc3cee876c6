import { DovetailError, type FetchHandler, type RouteDefinition, type RouteMatch, type Router, type UrlParams } from 'dovetailjs'
import { expose, lookup, ObjectDispatchRouter } from 'dovetailjs/components/router/object-dispatch'

type Tree = { [key: string]: unknown }

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
 */
export class RoutesAsTree implements Router {
  readonly #routes: RouteDefinition[] = []
  readonly #mounts: [string, FetchHandler][] = []
  #router = new ObjectDispatchRouter({ root: {} })

  add(route: RouteDefinition): void {
    if (!route.path.startsWith('/')) return this.#router.add(route)
    // Built before it is kept, so a route the tree refuses leaves the router as it was.
    this.#router = this.#build([...this.#routes, route], this.#mounts)
    this.#routes.push(route)
  }

  mount(prefix: string, fetch: FetchHandler): void {
    this.#router = this.#build(this.#routes, [...this.#mounts, [prefix, fetch]])
    this.#mounts.push([prefix, fetch])
  }

  match(method: string, path: string): RouteMatch {
    return this.#router.match(method, path)
  }

  url(name: string, params?: UrlParams): string {
    return this.#router.url(name, params)
  }

  #build(routes: readonly RouteDefinition[], mounts: readonly [string, FetchHandler][]): ObjectDispatchRouter {
    const root: Tree = {}
    const actions = new Map<Tree, ReturnType<typeof expose>[]>()
    for (const route of routes) {
      const parts = route.path === '/' ? [] : route.path.slice(1).split('/')
      let node = root
      parts.forEach((part, i) => {
        if (part === '*' && i === parts.length - 1) return
        node = part.startsWith(':') ? paramChild(node, part.slice(1)) : staticChild(node, part)
      })
      const exposed = expose(route.handler, { methods: route.methods, ...(route.name === undefined ? {} : { name: route.name }) })
      if (parts.at(-1) === '*') node._default = [...((node._default as []) ?? []), exposed]
      else actions.set(node, [...(actions.get(node) ?? []), exposed])
    }
    for (const [node, list] of actions) node.index = list
    const router = new ObjectDispatchRouter({ root })
    for (const [prefix, fetch] of mounts) router.mount(prefix, fetch)
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
