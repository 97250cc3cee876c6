import type { Handler, RouteInfo } from '../../../core/index.js'
import type { Action } from './compile.js'
import type { Exposed } from './expose.js'
import type { Found, Trail } from './dispatch.js'
import { type PathPart, patternOf, type PlacedAction } from './tree-paths.js'

/** The routes of one action at one place: by the method that answers. */
interface Place {
  path: string
  byMethod: ReadonlyMap<string, RouteInfo>
}

/**
 * The controller tree as `routes()` lists it, and the entry `match` names.
 * One route per handler of each `expose()` at each place the tree puts it:
 * `expose({ get: show, post: save }, { name: 'page' })` at `/pages/:slug` is
 * `GET /pages/:slug` (show) and `POST /pages/:slug` (save), both named
 * `page`; `expose(feed, { methods: ['GET', 'POST'] })` is one route with two
 * methods. Built once, with the router: the tree does not change.
 *
 * @example
 * const routes = new TreeRoutes(treePaths(root).actions)
 * routes.list // [{ kind: 'route', methods: ['GET'], path: '/', handler: home, name: 'home', source: 'tree.ts:3' }]
 */
export class TreeRoutes {
  readonly list: readonly RouteInfo[]
  readonly #places = new Map<Action, Place[]>()

  constructor(placed: readonly PlacedAction[]) {
    const list: RouteInfo[] = []
    for (const { action, path } of placed) {
      const byMethod = new Map<string, RouteInfo>()
      for (const exposed of action.exposed) {
        for (const [handler, methods] of methodsByHandler(exposed)) {
          const info = routeInfo(exposed, handler, methods, path)
          list.push(info)
          for (const method of methods) byMethod.set(method, info)
        }
      }
      const places = this.#places.get(action) ?? []
      places.push({ path, byMethod })
      this.#places.set(action, places)
    }
    this.list = list
  }

  /**
   * The route that answers `method` (the request's, or GET for a HEAD it has
   * no handler for) where dispatch found the action. Undefined when a
   * hand-written `_lookup` was on the way: what it leads to has no pattern
   * and is not listed.
   */
  find(found: Found, method: string): RouteInfo | undefined {
    const places = this.#places.get(found.action)
    if (!places) return undefined
    // Almost always one place, so the pattern of the way taken is made only for a controller shared by two keys.
    if (places.length === 1) return viaHandWritten(found.trail) ? undefined : places[0]!.byMethod.get(method)
    const parts = partsOf(found.trail)
    const path = parts && patternOf(parts)
    return places.find((p) => p.path === path)?.byMethod.get(method)
  }
}

/** The methods of one `expose()`, grouped by handler, in the order given. */
function methodsByHandler(exposed: Exposed): Map<Handler, string[]> {
  const groups = new Map<Handler, string[]>()
  for (const [method, handler] of exposed.handlers) {
    const methods = groups.get(handler)
    if (methods) methods.push(method)
    else groups.set(handler, [method])
  }
  return groups
}

function routeInfo(exposed: Exposed, handler: Handler, methods: readonly string[], path: string): RouteInfo {
  return {
    kind: 'route',
    methods: Object.freeze([...methods]),
    path,
    handler,
    name: exposed.name,
    ...(exposed.schemas === undefined ? {} : { schemas: exposed.schemas }),
    ...(exposed.docs === undefined ? {} : { docs: exposed.docs }),
    // A getter, as r.get() records it: the stack is read only when a tool asks.
    get source() {
      return exposed.source
    },
  }
}

/** The parts of a trail, first first; undefined when a hand-written `_lookup` is on it. */
function partsOf(trail: Trail): PathPart[] | undefined {
  const parts: PathPart[] = []
  for (let at = trail; at !== undefined; at = at.before) {
    if (at.part === null) return undefined
    parts.push(at.part)
  }
  return parts.reverse()
}

function viaHandWritten(trail: Trail): boolean {
  for (let at = trail; at !== undefined; at = at.before) if (at.part === null) return true
  return false
}
