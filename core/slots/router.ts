import { token } from '../container/token.js'
import type { FetchHandler } from '../gateway/fetch-handler.js'
import type { PathRules } from '../gateway/path.js'
import type { StandardSchemaV1 } from '../component/standard-schema.js'
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
  /**
   * Where the route was defined, `file:line` (`/srv/app/app.ts:12`), when the
   * caller knows: `r.get()` and the other `routes(r)` methods capture it. A
   * router that implements `routes()` hands it back there; it is read only by
   * tools (`dovetail routes`), so it may be a getter that works it out when
   * read.
   */
  source?: string | undefined
  /**
   * Names of the middleware scoped to this route (a group's or the route's own
   * `use`), outermost first, `(anonymous)` for a function without a name. The
   * handler already runs them (it is composed with them); this is for tools:
   * `dovetail routes` and `dovetail explain` print them after the app's
   * middleware. A router keeps it as it keeps `source`.
   */
  middleware?: readonly string[] | undefined
  /**
   * Standard Schema validators for this route's input and documented output
   * (contract 1.2). The handler already validates with them (it is composed
   * with the validation step); this is for tools: `app.openapi()` documents
   * the route from them. A router keeps it as it keeps `source`.
   */
  schemas?: RouteSchemas | undefined
  /** Documentation for tools (OpenAPI): summary, description, tags, deprecated (contract 1.2). */
  docs?: RouteDocs | undefined
}

/**
 * The schemas of a route: each is any Standard Schema (zod 4, valibot,
 * arktype, ...). `params`, `query` and `headers` validate objects of strings;
 * `body` the parsed body (JSON, or a form's fields); `response` documents (and
 * in development checks) the body answered with each status.
 *
 * @example
 * const schemas: RouteSchemas = { params: z.object({ id: z.coerce.number() }), response: { 200: Note } }
 */
export interface RouteSchemas {
  params?: StandardSchemaV1 | undefined
  query?: StandardSchemaV1 | undefined
  headers?: StandardSchemaV1 | undefined
  body?: StandardSchemaV1 | undefined
  /** By status code: the body a response with that status has. */
  response?: { readonly [status: number]: StandardSchemaV1 } | undefined
}

/**
 * What tools show about a route besides its schemas (OpenAPI's operation
 * fields). The route's `name` is its operationId.
 *
 * @example
 * const docs: RouteDocs = { summary: 'Create a note', tags: ['notes'] }
 */
export interface RouteDocs {
  /** One line. */
  summary?: string | undefined
  /** Longer text (CommonMark in OpenAPI). */
  description?: string | undefined
  tags?: readonly string[] | undefined
  deprecated?: boolean | undefined
}

/** Options of `Router.mount`. */
export interface MountOptions {
  /** Where the mount was defined, `file:line`, as {@link RouteDefinition.source}. */
  source?: string | undefined
}

/**
 * One route or mount a router holds, as `routes()` lists it and `match`
 * names it: what `dovetail routes` prints and `dovetail explain` follows.
 * A route's definition is handed back as it was given to `add`.
 *
 * @example
 * router.routes?.().map((r) => (r.kind === 'route' ? `${r.methods.join(',')} ${r.path}` : `mount ${r.path}`))
 * // ['GET /pages/:slug', 'mount /legacy']
 */
export type RouteInfo =
  | (RouteDefinition & { kind: 'route' })
  | { kind: 'mount'; /** The prefix, without a trailing slash. */ path: string; fetch: FetchHandler; source?: string | undefined }

export type RouteMatch =
  | {
      kind: 'route'
      handler: Handler
      params: Record<string, string>
      /** The route that matched, as `routes()` lists it (contract 1.1; given by routers that implement `routes()`). */
      route?: RouteInfo | undefined
    }
  /** `prefix` as declared; the app cuts as many segments off the path as it has. */
  | { kind: 'mount'; fetch: FetchHandler; prefix: string }
  | { kind: 'not-found' }
  | { kind: 'method-not-allowed'; allowed: readonly string[] }

/**
 * The router slot's contract (version 1.2). Implementations must pass
 * `runRouterConformance` from `dovetailjs/testing/conformance`.
 *
 * - `match` answers every method a route has, HEAD where GET is routed, and
 *   lists allowed methods for a path that exists under other methods.
 * - Parameters are decoded; `url()` encodes them back.
 * - `mount` sends the prefix and everything below it to a fetch handler.
 * - `match` receives the normalised path (`normalizePath`, with this router's
 *   `pathRules`), the same string `ctx.path` shows to middleware.
 * - `routes()` (optional, added in 1.1) lists what was added, for tools:
 *   `dovetail routes` and `dovetail explain` need it; requests never call it.
 * - 1.2: a route's `schemas` and `docs` (optional) are kept and handed back
 *   by `routes()` like `source`, for `app.openapi()`.
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
  mount(prefix: string, fetch: FetchHandler, options?: MountOptions): void
  match(method: string, path: string): RouteMatch
  url(name: string, params?: UrlParams): string
  /**
   * Every route and mount, in the order they were added; a route as its
   * definition was given to `add` (with `kind: 'route'`), so `source` and
   * the handler come back unchanged. A router whose routes also come from
   * elsewhere lists those too and says where in the list (object-dispatch:
   * its controller tree, first). A router that has it also names the
   * matched route in `match` (`route`). Optional: a router without it works
   * for requests, but `dovetail routes` and `dovetail explain` cannot list
   * or explain its routes.
   */
  routes?(): readonly RouteInfo[]
}

export const Router = token<Router>('Router')
