import FindMyWay from 'find-my-way'
import { DovetailError, type FetchHandler, type Handler, type MountOptions, type RouteDefinition, type RouteInfo, type RouteMatch, type Router, type UrlParams } from '../../../core/index.js'
import { RouteList } from './route-list.js'
import { urlFor } from './url-for.js'

export interface RadixRouterOptions {
  /** Treat `/a/` like `/a`. @default false */
  ignoreTrailingSlash?: boolean
  /** Treat `//a` like `/a`. @default false */
  ignoreDuplicateSlashes?: boolean
  /** @default true */
  caseSensitive?: boolean
  /** Longer parameter values answer 404, a guard against abuse. @default 500 */
  maxParamLength?: number
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
  readonly #list = new RouteList()

  constructor(options: RadixRouterOptions = {}) {
    const config = {
      ignoreTrailingSlash: options.ignoreTrailingSlash ?? false,
      ignoreDuplicateSlashes: options.ignoreDuplicateSlashes ?? false,
      caseSensitive: options.caseSensitive ?? true,
      maxParamLength: options.maxParamLength ?? 500,
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
    const store: Store = { kind: 'route', handler: route.handler, info: this.#list.route(route) }
    for (const method of route.methods) this.#on(method, route.path, store)
  }

  mount(prefix: string, fetch: FetchHandler, options?: MountOptions): void {
    const clean = prefix.replace(/\/+$/, '')
    if (!clean.startsWith('/')) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must start with '/' and not be '/'.`)
    }
    // The app cuts the prefix off by its length, so it must be literal.
    if (/[:*]/.test(clean)) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must be a literal path, without ':param' or '*'.`)
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
    // find-my-way lets `/users/:id` match `/users/` with id ''; a handler should never see an empty parameter.
    if (found) for (const key in found.params) if (found.params[key] === '' && key !== '*') return null
    return found
  }
}

const mountMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']
