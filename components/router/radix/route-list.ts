import type { FetchHandler, MountOptions, RouteDefinition, RouteInfo } from '../../../core/index.js'

/**
 * What a router was given, in order: the routes (their definitions' own
 * properties, so `source` and the handler come back unchanged) and the
 * mounts. It answers `Router.routes()`, and each entry is what `match`
 * names as the route that matched. Kept apart from the tree that matches,
 * which has no order and no way to list what it holds.
 *
 * @example
 * const list = new RouteList()
 * const info = list.route({ methods: ['GET'], path: '/', handler })
 * list.all() // [info]
 */
export class RouteList {
  readonly #all: RouteInfo[] = []

  /** Record a route; returns its entry, for `match` to hand back. */
  route(definition: RouteDefinition): RouteInfo {
    // Its properties as they are, getters included: `source` may work itself out only when read.
    const info = Object.defineProperties({ kind: 'route' as const }, Object.getOwnPropertyDescriptors(definition)) as RouteInfo
    this.#all.push(info)
    return info
  }

  /** Record a mount at its prefix (without a trailing slash). */
  mount(prefix: string, fetch: FetchHandler, options: MountOptions = {}): RouteInfo {
    const info: RouteInfo = {
      kind: 'mount',
      path: prefix,
      fetch,
      get source() {
        return options.source
      },
    }
    this.#all.push(info)
    return info
  }

  all(): readonly RouteInfo[] {
    return this.#all
  }
}
