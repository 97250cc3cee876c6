import {
  defineComponent,
  DovetailError,
  type FetchHandler,
  type Handler,
  type RouteDefinition,
  type RouteMatch,
  Router,
  type UrlParams,
} from 'dovetailjs'

interface Entry {
  method: string
  regex: RegExp
  keys: string[]
  handler: Handler
  /** Static routes are tried before ones with parameters, and those before wildcards. */
  rank: number
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * A router that tries its routes one by one. Slower than the radix tree, but
 * short enough to read in one sitting: an illustration of the router contract,
 * checked by the same conformance suite as the built-in.
 */
export class LinearRouter implements Router {
  readonly #routes: Entry[] = []
  readonly #mounts: Array<{ prefix: string; fetch: FetchHandler }> = []
  readonly #names = new Map<string, string>()

  add(route: RouteDefinition): void {
    if (!route.path.startsWith('/')) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Route path '${route.path}' must start with '/'.`)
    }
    const existing = route.name === undefined ? undefined : this.#names.get(route.name)
    if (route.name !== undefined && existing !== undefined && existing !== route.path) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME', `Route name '${route.name}' is used by ${existing} and by ${route.path}.`)
    }
    if (route.name !== undefined) this.#names.set(route.name, route.path)
    const keys: string[] = []
    let rank = 0
    const source = route.path
      .split('/')
      .map((segment) => {
        if (segment === '*') return keys.push('*'), (rank += 100), '(.*)'
        if (segment.startsWith(':')) return keys.push(segment.slice(1)), (rank += 1), '([^/]+)'
        return escape(segment)
      })
      .join('/')
    for (const method of route.methods) this.#routes.push({ method, regex: new RegExp(`^${source}$`), keys, handler: route.handler, rank })
    this.#routes.sort((a, b) => a.rank - b.rank) // stable: equal ranks keep their order
  }

  mount(prefix: string, fetch: FetchHandler): void {
    const clean = prefix.replace(/\/+$/, '')
    if (!clean.startsWith('/')) {
      throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', `Mount prefix '${prefix}' must start with '/' and not be '/'.`)
    }
    this.#mounts.push({ prefix: clean, fetch })
  }

  match(method: string, path: string): RouteMatch {
    const found = this.#find(method, path) ?? (method === 'HEAD' ? this.#find('GET', path) : undefined)
    if (found) return found
    const mounted = this.#mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`))
    if (mounted) return { kind: 'mount', fetch: mounted.fetch, prefix: mounted.prefix }
    const allowed = new Set(this.#routes.filter((r) => r.regex.test(path)).map((r) => r.method))
    if (allowed.size === 0) return { kind: 'not-found' }
    if (allowed.has('GET')) allowed.add('HEAD')
    return { kind: 'method-not-allowed', allowed: [...allowed].sort() }
  }

  url(name: string, params: UrlParams = {}): string {
    const pattern = this.#names.get(name)
    if (pattern === undefined) {
      const known = [...this.#names.keys()].sort().join(', ') || 'none'
      throw new DovetailError('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME', `No route is named '${name}'. Named routes: ${known}.`)
    }
    return pattern
      .split('/')
      .map((segment) => {
        const key = segment === '*' ? '*' : segment.startsWith(':') ? segment.slice(1) : undefined
        if (key === undefined) return segment
        const value = params[key]
        if (value === undefined) {
          throw new DovetailError('DOVETAIL_ERR_ROUTER_MISSING_PARAM', `url('${name}') needs a value for '${key}' (route ${pattern}).`)
        }
        const encode = (text: string) => {
          try {
            return encodeURIComponent(text)
          } catch (error) {
            // A lone UTF-16 surrogate: no URL can carry it.
            throw new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_PARAM', `url('${name}') was given a value for '${key}' that no URL can carry (route ${pattern}).`, { cause: error })
          }
        }
        return key === '*' ? String(value).split('/').map(encode).join('/') : encode(String(value))
      })
      .join('/')
  }

  #find(method: string, path: string): RouteMatch | undefined {
    for (const route of this.#routes) {
      if (route.method !== method) continue
      const m = route.regex.exec(path)
      if (!m) continue
      try {
        const params: Record<string, string> = {}
        route.keys.forEach((key, i) => (params[key] = decodeURIComponent(m[i + 1]!)))
        return { kind: 'route', handler: route.handler, params }
      } catch {
        return undefined // malformed percent-encoding matches nothing
      }
    }
    return undefined
  }
}

/** The component: put it in the router slot, `components: { router: linear }`. */
export const linear = defineComponent({
  name: 'router/linear',
  slot: 'router',
  contract: '^1.0',
  register(c) {
    c.singleton(Router, () => new LinearRouter())
  },
})

export default linear
