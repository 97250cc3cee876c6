import { token } from '../container/token.js'
import type { FetchHandler } from '../gateway/fetch-handler.js'
import type { PathRules } from '../gateway/path.js'
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
  /** `prefix` as declared; the app cuts as many segments off the path as it has. */
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
 * - `match` receives the normalised path (`normalizePath`, with this router's
 *   `pathRules`), the same string `ctx.path` shows to middleware.
 */
export interface Router {
  /**
   * How this router compares paths (case, duplicate and trailing slashes).
   * The core applies them in its one path normalisation, so middleware sees
   * the path the way the router matches it. Absent: case-sensitive, every
   * slash counts. Contract 1.1; a 1.0 router simply has none.
   */
  readonly pathRules?: PathRules | undefined
  add(route: RouteDefinition): void
  mount(prefix: string, fetch: FetchHandler): void
  match(method: string, path: string): RouteMatch
  url(name: string, params?: UrlParams): string
}

export const Router = token<Router>('Router')
