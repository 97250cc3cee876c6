import FindMyWay from 'find-my-way'
import { DovetailError, type FetchHandler, type Handler, type MountOptions, type PathRules, type RouteDefinition, type RouteInfo, type RouteMatch, type Router, type UrlParams } from '../../../core/index.js'
import { RadixUnsafeRegex } from './errors.js'
import { checkRegexParams } from './regex-params.js'
import { RouteList } from './route-list.js'
import { urlFor } from './url-for.js'

export interface RadixRouterOptions {
  /** Treat `/a/` like `/a`. @default false */
  ignoreTrailingSlash?: boolean
  /** Treat `//a` like `/a`. @default false */
  ignoreDuplicateSlashes?: boolean
  /** @default true */
  caseSensitive?: boolean
  /**
   * Longest value (decoded, in characters) of any parameter: `:name`, a
   * regex parameter, each parameter of a multi-parameter segment, and the `*`
   * wildcard. A longer one matches nothing (404). It also bounds the input a
   * parameter regex ever runs on. @default 500
   */
  maxParamLength?: number
  /**
   * How many steps redos-detector may take to prove one parameter regex
   * (`/:id(^\d+$)`) free of catastrophic backtracking; a regex it cannot prove
   * safe within them is refused at startup (DOVETAIL_ERR_RADIX_UNSAFE_REGEX).
   * @default 1000
   */
  regexCheckSteps?: number
}

type MountStore = { kind: 'mount'; fetch: FetchHandler; prefix: string }
type Store = { kind: 'route'; handler: Handler; info: RouteInfo } | MountStore

const noop = () => {}

/** The router slot on find-my-way, the radix-tree router under Fastify. */
export class RadixRouter implements Router {
  readonly #tree: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>
  /** Mounts again, under GET only: answers methods outside the common set (PROPFIND, …) for mounted apps. */
  readonly #mounts: FindMyWay.Instance<FindMyWay.HTTPVersion.V1>
  readonly #names = new Map<string, string>()
  readonly #methods = new Set<string>()
  readonly #maxParamLength: number
  readonly #regexCheckSteps: number
  /** The core normalises every request path with these, so `ctx.path` is what this router matches. */
  readonly pathRules: Readonly<PathRules>
  readonly #list = new RouteList()

  constructor(options: RadixRouterOptions = {}) {
    this.pathRules = Object.freeze({
      ignoreTrailingSlash: options.ignoreTrailingSlash ?? false,
      ignoreDuplicateSlashes: options.ignoreDuplicateSlashes ?? false,
      caseSensitive: options.caseSensitive ?? true,
    })
    this.#maxParamLength = options.maxParamLength ?? 500
    this.#regexCheckSteps = options.regexCheckSteps ?? 1000
    const config = {
      ...this.pathRules,
      maxParamLength: this.#maxParamLength,
      // `;` is an ordinary path character (RFC 3986), as the core's normalisation treats it.
      useSemicolonDelimiter: false,
    }
    this.#tree = FindMyWay(config)
    this.#mounts = FindMyWay(config)
  }

  add(route: RouteDefinition): void {
    if (!route.path.startsWith('/') && route.path !== '*') {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Route path '${route.path}' must start with '/'.`)
    }
    if (route.name !== undefined) {
      const existing = this.#names.get(route.name)
      if (existing !== undefined && existing !== route.path) {
        throw new DovetailError('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME', `Route name '${route.name}' is used by ${existing} and by ${route.path}.`)
      }
      this.#names.set(route.name, route.path)
    }
    checkRegexParams(`${route.methods.join(',')} ${route.path}`, route.path, this.#regexCheckSteps)
    const store: Store = { kind: 'route', handler: route.handler, info: this.#list.route(route) }
    for (const method of route.methods) this.#on(method, route.path, store)
  }

  mount(prefix: string, fetch: FetchHandler, options?: MountOptions): void {
    const clean = prefix.replace(/\/+$/, '')
    if (!clean.startsWith('/')) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must start with '/' and not be '/'.`)
    }
    // The app cuts as many segments off the path as the prefix has, so they must be literal and countable.
    if (/[:*]/.test(clean)) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must be a literal path, without ':param' or '*'.`)
    }
    if (clean.slice(1).split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must not have empty, '.' or '..' segments.`)
    }
    const store: Store = { kind: 'mount', fetch, prefix: clean }
    this.#list.mount(clean, fetch, options)
    for (const method of mountMethods) {
      this.#on(method, clean, store)
      this.#on(method, `${clean}/*`, store)
    }
    this.#mounts.on('GET', clean, noop, store)
    this.#mounts.on('GET', `${clean}/*`, noop, store)
  }

  match(method: string, path: string): RouteMatch {
    const found = this.#find(method, path) ?? (method === 'HEAD' ? this.#find('GET', path) : null)
    if (found) {
      const store = found.store as Store
      if (store.kind === 'mount') return store
      return { kind: 'route', handler: store.handler, params: found.params as Record<string, string>, route: store.info }
    }
    if (!mountMethods.includes(method)) {
      const mounted = this.#mounts.find('GET', path)
      if (mounted) return mounted.store as MountStore
    }
    const allowed: string[] = []
    for (const other of this.#methods) if (other !== method && this.#find(other, path)) allowed.push(other)
    if (allowed.length === 0) return { kind: 'not-found' }
    if (allowed.includes('GET') && !allowed.includes('HEAD')) allowed.push('HEAD')
    return { kind: 'method-not-allowed', allowed: allowed.sort() }
  }

  routes(): readonly RouteInfo[] {
    return this.#list.all()
  }

  url(name: string, params?: UrlParams): string {
    const pattern = this.#names.get(name)
    if (pattern === undefined) {
      const known = [...this.#names.keys()].sort().join(', ') || 'none'
      throw new DovetailError('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME', `No route is named '${name}'. Named routes: ${known}.`)
    }
    return urlFor(name, pattern, params)
  }

  #on(method: string, path: string, store: Store): void {
    try {
      this.#tree.on(method as FindMyWay.HTTPMethod, path, noop, store)
    } catch (error) {
      // find-my-way's own regex check (safe-regex2: star height) runs after ours and refuses some regexes ours passes.
      if (/is not safe!/.test((error as Error).message)) {
        throw RadixUnsafeRegex(`Route ${method} ${path}: ${(error as Error).message} (find-my-way refuses nested repetition such as (a+)+ or (x(-y)*)+). Use a plain :param and check the value in the handler.`, { cause: error })
      }
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Route ${method} ${path}: ${(error as Error).message}`, { cause: error })
    }
    this.#methods.add(method)
  }

  #find(method: string, path: string) {
    // find-my-way throws on methods it does not know; such a method matches nothing.
    let found
    try {
      found = this.#tree.find(method as FindMyWay.HTTPMethod, path)
    } catch {
      return null
    }
    if (found) {
      for (const key in found.params) {
        const value = found.params[key]!
        // find-my-way lets `/users/:id` match `/users/` with id ''; a handler should never see an empty parameter.
        if (value === '' && key !== '*') return null
        // find-my-way caps `:name` and regex parameters, not the wildcard: one cap for every kind of
        // route parameter (a mount's rest of the path is not one: the mounted app has its own router).
        if (value.length > this.#maxParamLength && (found.store as Store).kind === 'route') return null
      }
    }
    return found
  }
}

const mountMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
