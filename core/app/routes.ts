import type { Registry } from '../container/registry.js'
import type { InjectableClass } from '../container/token.js'
import { ConfigInvalid, RouterInvalidRoute } from '../errors/codes.js'
import { checkMiddlewareFunction } from '../pipeline/check-middleware.js'
import type { FetchHandler, HasFetch } from '../gateway/fetch-handler.js'
import type { Context } from '../context/context.js'
import { compose } from '../pipeline/compose.js'
import { openApiNotes, withOpenApi } from '../openapi/notes.js'
import type { Handler, Middleware } from '../pipeline/middleware.js'
import type { Router } from '../slots/router.js'
import { captureCallSite } from './call-site.js'

/** Methods of `C` that can answer a request. */
type ActionOf<C> = { [K in keyof C & string]: C[K] extends (ctx: Context) => Response | Promise<Response> ? K : never }[keyof C & string]

/**
 * A handler: a function of the context, or a controller action `[Class, 'method']`.
 * The controller is resolved from the container for each request (scoped, with
 * constructor injection from its static `inject` list) unless registered otherwise.
 */
export type RouteHandler<C = any> = Handler | readonly [InjectableClass<C>, ActionOf<C>]

export interface RouteOptions {
  /** Name the route so `ctx.url(name, params)` and `app.url` can build its path. */
  name?: string
  /**
   * Middleware and guards for this route only, outermost first. They run after
   * the app's middleware and the middleware of the groups around the route,
   * just before the handler. Functions `(ctx, next) => Promise<Response>`;
   * components go in `config.components`, not here.
   */
  use?: readonly Middleware[]
}

/** Options of `group(prefix, options, define)`. */
export interface GroupOptions {
  /**
   * Middleware and guards for every route of the group (nested groups
   * included), outermost first: after the app's middleware and an outer
   * group's, before a route's own `use` and the handler.
   */
  use?: readonly Middleware[]
}

/**
 * What `routes(r)` in the config receives.
 *
 * @example
 * routes(r) {
 *   r.get('/', (ctx) => ctx.text('home'), { name: 'home' })
 *   r.get('/pages/:slug', [PageController, 'show'], { name: 'page' })
 *   r.group('/api', (api) => api.post('/items', createItem))
 *   r.group('/admin', { use: [requireAdmin] }, (admin) => admin.get('/users', listUsers))
 *   r.mount('/legacy', legacyApp.fetch)
 * }
 */
export interface Routes {
  get<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  post<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  put<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  patch<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  delete<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  options<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  /** Every method. */
  all<C>(path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  route<C>(methods: string | readonly string[], path: string, handler: RouteHandler<C>, options?: RouteOptions): Routes
  /** Routes under a common path prefix. */
  group(prefix: string, define: (r: Routes) => void): Routes
  /**
   * Routes under a common path prefix, with middleware for all of them.
   *
   * @example
   * r.group('/admin', { use: [requireAdmin] }, (admin) => admin.get('/users', listUsers))
   */
  group(prefix: string, options: GroupOptions, define: (r: Routes) => void): Routes
  /**
   * Send `prefix` and everything below it to another fetch handler: a Dovetail
   * app, a Hono app, anything that speaks the gateway interface. The handler sees
   * the path with the prefix removed.
   */
  mount(prefix: string, target: FetchHandler | HasFetch): Routes
}

export const allMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

const join = (prefix: string, path: string): string => {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
  return joined.length > 1 && path === '' ? joined.replace(/\/$/, '') : joined
}

/** The name `dovetail routes` shows for a middleware function. */
const middlewareName = (mw: Middleware): string => mw.name || '(anonymous)'

/**
 * Refuses a `use` list with something other than a function in it, at startup:
 * a component put there by mistake would otherwise fail on the first request.
 */
function checkUse(use: unknown, where: string): readonly Middleware[] {
  if (use === undefined) return []
  if (!Array.isArray(use)) throw ConfigInvalid(`${where}: use must be a list of middleware functions (ctx, next) => Promise<Response>, got ${typeof use}.`)
  return use.map((mw, i) => checkMiddlewareFunction(mw, `${where}: use[${i}]`, 'Components go in config.components (a middleware component in components.middleware), not in use.'))
}

/**
 * The `Routes` given to `routes(r)`: each route goes to the router with its
 * full path and, when a group or the route has `use`, its handler composed
 * with that middleware (so a route without any pays nothing) and the
 * middleware's names in `middleware` for `dovetail routes`.
 */
export function createRoutes(router: Router, registry: Registry, prefix = '', scoped: readonly Middleware[] = []): Routes {
  const toHandler = (handler: RouteHandler<any>, path: string): Handler => {
    if (typeof handler === 'function') return handler
    if (Array.isArray(handler) && typeof handler[0] === 'function' && typeof handler[1] === 'string') {
      const [controller, action] = handler as [InjectableClass<Record<string, Handler>>, string]
      if (typeof controller.prototype[action] !== 'function') {
        throw RouterInvalidRoute(`Route ${path}: ${controller.name} has no method '${action}'.`)
      }
      if (!registry.has(controller)) registry.scoped(controller)
      const run: Handler = (ctx) => ctx.resolve(controller)[action]!(ctx)
      // Named as written, so that `dovetail routes` shows `NoteController.show` rather than an anonymous function.
      return Object.defineProperty(run, 'name', { value: `${controller.name}.${action}` })
    }
    throw RouterInvalidRoute(
      `Route ${path}: the handler must be a function (ctx) => Response or a controller action [Class, 'method'].`,
    )
  }
  // `caller` is the public method called, so the call site recorded is the line in the app that called it.
  type Caller = (...args: never[]) => unknown
  const add = (methods: string | readonly string[], path: string, handler: RouteHandler<any>, options: RouteOptions = {}, caller: Caller) => {
    const full = join(prefix, path)
    const list = (typeof methods === 'string' ? [methods] : methods).map((m) => m.toUpperCase())
    const site = captureCallSite(caller)
    const use = [...scoped, ...checkUse(options.use, `Route ${list.join(',')} ${full}`)]
    const inner = toHandler(handler, full)
    router.add({
      methods: list,
      path: full,
      // Keeps the handler's name, so `dovetail routes` shows it rather than the composition, and the
      // OpenAPI notes of its guards and its own, so app.openapi() documents what they check.
      handler: use.length ? withOpenApi(Object.defineProperty(compose(use, inner), 'name', { value: inner.name }), ...[...use, inner].flatMap(openApiNotes)) : inner,
      name: options.name,
      ...(use.length ? { middleware: use.map(middlewareName) } : {}),
      get source() {
        return site()
      },
    })
    return routes
  }
  const routes: Routes = {
    get: (p, h, o) => add('GET', p, h, o, routes.get),
    post: (p, h, o) => add('POST', p, h, o, routes.post),
    put: (p, h, o) => add('PUT', p, h, o, routes.put),
    patch: (p, h, o) => add('PATCH', p, h, o, routes.patch),
    delete: (p, h, o) => add('DELETE', p, h, o, routes.delete),
    options: (p, h, o) => add('OPTIONS', p, h, o, routes.options),
    all: (p, h, o) => add(allMethods, p, h, o, routes.all),
    route: (m, p, h, o) => add(m, p, h, o, routes.route),
    group: (groupPrefix: string, optionsOrDefine: GroupOptions | ((r: Routes) => void), maybeDefine?: (r: Routes) => void) => {
      const full = join(prefix, groupPrefix)
      const define = typeof optionsOrDefine === 'function' ? optionsOrDefine : maybeDefine
      if (typeof define !== 'function') throw RouterInvalidRoute(`group('${full}'): the last argument must be a function (r) => { ... } that defines its routes.`)
      const options = typeof optionsOrDefine === 'function' ? {} : (optionsOrDefine ?? {})
      const use = checkUse(options.use, `group('${full}')`)
      define(createRoutes(router, registry, full, use.length ? [...scoped, ...use] : scoped))
      return routes
    },
    mount: (mountPrefix, target) => {
      const fetch = typeof target === 'function' ? target : target.fetch.bind(target)
      if (typeof fetch !== 'function') {
        throw RouterInvalidRoute(`mount('${mountPrefix}'): the target must be a fetch handler or have a fetch method.`)
      }
      const site = captureCallSite(routes.mount)
      router.mount(join(prefix, mountPrefix), fetch, {
        get source() {
          return site()
        },
      })
      return routes
    },
  }
  return routes
}
