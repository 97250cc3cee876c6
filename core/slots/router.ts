import { token } from '../container/token.js'
import type { FetchHandler } from '../gateway/fetch-handler.js'
import type { Handler } from '../pipeline/middleware.js'

/** Parameter values for URL generation; numbers are turned into strings. */
export type UrlParams = Record<string, string | number>

export interface RouteDefinition {
  /** Upper-case HTTP methods. */
  methods: readonly string[]
  /** A path pattern: `/pages/:slug`, `/files/*`. */
  path: string
  handler: Handler
  /** A name for URL generation with `app.url(name, params)`. */
  name?: string | undefined
}

export type RouteMatch =
  | { kind: 'route'; handler: Handler; params: Record<string, string> }
  | { kind: 'mount'; fetch: FetchHandler; prefix: string }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allowed: readonly string[] }

/**
 * The router slot's contract (version 1). Implementations must pass
 * `runRouterConformance` from `dovetailjs/testing/conformance`.
 *
 * - `match` answers every method a route has, HEAD where GET is routed, and
 *   lists allowed methods for a path that exists under other methods.
 * - Parameters are decoded; `url()` encodes them back.
 * - `mount` sends the prefix and everything below it to a fetch handler.
 */
export interface Router {
  add(route: RouteDefinition): void
  mount(prefix: string, fetch: FetchHandler): void
  match(method: string, path: string): RouteMatch
  url(name: string, params?: UrlParams): string
}

export const Router = token<Router>('Router')
