import type { Registry } from '../container/registry.js'
import type { InjectableClass } from '../container/token.js'
import { ComponentMissingRequirement, ConfigInvalid, RouterInvalidRoute, ValidationSetup } from '../errors/codes.js'
import { checkMiddlewareFunction } from '../pipeline/check-middleware.js'
import type { FetchHandler, HasFetch } from '../gateway/fetch-handler.js'
import type { Context, ContextState } from '../context/context.js'
import type { StateAddedBy } from '../context/state-middleware.js'
import { compose } from '../pipeline/compose.js'
import { needsOf } from '../pipeline/middleware-needs.js'
import { openApiNotes, withOpenApi } from '../openapi/notes.js'
import type { Handler, Middleware } from '../pipeline/middleware.js'
import type { RouteDocs, RouteSchemas, Router } from '../slots/router.js'
import { BodyReader } from '../validation/body-reader.js'
import type { PathParams, RouteInput } from '../validation/types.js'
import { type OnInvalid, withValidation } from '../validation/with-validation.js'
import { captureCallSite } from './call-site.js'

/** Methods of `C` that can answer a request (whatever context type their parameter declares). */
type ActionOf<C> = { [K in keyof C & string]: C[K] extends (ctx: Context<any, any, any>) => Response | Promise<Response> ? K : never }[keyof C & string]

/**
 * The context a route's handler receives: `params` typed from the path
 * (`'/notes/:id'` gives `ctx.params.id: string`), `input` from the route's
 * schemas. Name it to type a handler written apart from its route, or a
 * controller method.
 *
 * @example
 * const show = (ctx: RouteContext<'/notes/:id', { params: typeof NoteParams }>) => ctx.json({ id: ctx.input.params.id })
 */
export type RouteContext<Path extends string = string, Schemas extends RouteSchemas | undefined = undefined, Use = []> = Context<
  PathParams<Path>,
  RouteInput<Schemas>,
  ContextState & StateAddedBy<Use>
>

/** A function handler for a route at `Path` with `Schemas` and the middleware `Use`: its `ctx` is a {@link RouteContext}. */
export type TypedHandler<Path extends string = string, Schemas extends RouteSchemas | undefined = undefined, Use = []> = (
  ctx: RouteContext<Path, Schemas, Use>,
) => Response | Promise<Response>

/**
 * A handler: a function of the context, or a controller action `[Class, 'method']`.
 * The controller is resolved from the container for each request (scoped, with
 * constructor injection from its static `inject` list) unless registered otherwise.
 */
export type RouteHandler<C = any> = Handler | readonly [InjectableClass<C>, ActionOf<C>]

export interface RouteOptions<Schemas extends RouteSchemas | undefined = RouteSchemas | undefined, Use extends readonly Middleware[] = readonly Middleware[]> {
  /** Name the route so `ctx.url(name, params)` and `app.url` can build its path; also its OpenAPI operationId. */
  name?: string
  /**
   * Standard Schema validators (zod, valibot, arktype, ...) for the request's
   * `params`, `query`, `headers` and `body`, checked after the route's `use`
   * and before the handler, which reads the results typed as `ctx.input`;
   * invalid input is a 422 with RFC 9457 problem details and the handler does
   * not run. `response` schemas by status document the answer and are
   * checked in development. See docs/validation.md.
   */
  schemas?: Schemas
  /**
   * How a browser's invalid input is answered instead of the 422 problem
   * details: a template name, rendered with `{ values, errors, issues }` at
   * status 422, or a function `(ctx, invalid) => Response`. Needs `schemas`.
   */
  onInvalid?: OnInvalid
  /** One line for tools (OpenAPI's summary). */
  summary?: string
  /** Longer text for tools (OpenAPI's description). */
  description?: string
  /** Tags for tools (OpenAPI's tags). */
  tags?: readonly string[]
  /** Marks the route deprecated for tools. */
  deprecated?: boolean
  /**
   * Middleware and guards for this route only, outermost first. They run after
   * the app's middleware and the middleware of the groups around the route,
   * just before the handler. Functions `(ctx, next) => Promise<Response>`;
   * components go in `config.components`, not here. What a middleware made
   * by `defineMiddleware` declares on `ctx.state` is typed in the handler.
   */
  use?: Use
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
  get: AddRoute
  post: AddRoute
  put: AddRoute
  patch: AddRoute
  delete: AddRoute
  options: AddRoute
  /** Every method. */
  all: AddRoute
  /** A route for the methods given. */
  route<Path extends string, const Schemas extends RouteSchemas | undefined = undefined, const Use extends readonly Middleware[] = [], C = any>(
    methods: string | readonly string[],
    path: Path,
    handler: TypedHandler<Path, Schemas, Use> | ControllerAction<C>,
    options?: RouteOptions<Schemas, Use>,
  ): Routes
  route<Path extends string, const Schemas extends RouteSchemas | undefined = undefined, const Use extends readonly Middleware[] = [], C = any>(
    methods: string | readonly string[],
    path: Path,
    options: RouteOptions<Schemas, Use>,
    handler: TypedHandler<Path, Schemas, Use> | ControllerAction<C>,
  ): Routes
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

/** A controller action `[Class, 'method']`. */
export type ControllerAction<C = any> = readonly [InjectableClass<C>, ActionOf<C>]

/**
 * `r.get(path, handler, options?)` or `r.get(path, options, handler)`: the
 * handler's `ctx` is typed from the path and the options' `schemas`.
 *
 * @example
 * r.get('/notes/:id', (ctx) => ctx.json({ id: ctx.params.id }))
 * r.post('/notes', { schemas: { body: NoteInput }, summary: 'Create a note' }, (ctx) => ctx.json(ctx.input.body, { status: 201 }))
 */
export interface AddRoute {
  <Path extends string, const Schemas extends RouteSchemas | undefined = undefined, const Use extends readonly Middleware[] = [], C = any>(
    path: Path,
    handler: TypedHandler<Path, Schemas, Use> | ControllerAction<C>,
    options?: RouteOptions<Schemas, Use>,
  ): Routes
  <Path extends string, const Schemas extends RouteSchemas | undefined = undefined, const Use extends readonly Middleware[] = [], C = any>(
    path: Path,
    options: RouteOptions<Schemas, Use>,
    handler: TypedHandler<Path, Schemas, Use> | ControllerAction<C>,
  ): Routes
}

export const allMethods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

const join = (prefix: string, path: string): string => {
  const joined = `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`
  return joined.length > 1 && path === '' ? joined.replace(/\/$/, '') : joined
}

/** The name `dovetail routes` shows for a middleware function. */
const middlewareName = (mw: Middleware): string => mw.name || '(anonymous)'

/**
 * What the router gets as the route's handler: the validated handler,
 * composed with the route's middleware when it has any. It keeps the
 * handler's name, so `dovetail routes` shows it rather than the
 * composition, and the OpenAPI notes of the middleware and of the handler
 * (a guard's), so `app.openapi()` documents what they check.
 */
function routeHandler(inner: Handler, validated: Handler, use: readonly Middleware[]): Handler {
  // withValidation already keeps the handler's notes on the validated handler.
  if (!use.length) return validated
  return withOpenApi(Object.defineProperty(compose(use, validated), 'name', { value: inner.name }), ...[...use, validated].flatMap(openApiNotes))
}

/**
 * Refuses a `use` list with something other than a function in it, at startup:
 * a component put there by mistake would otherwise fail on the first request.
 */
function checkUse(use: unknown, where: string): readonly Middleware[] {
  if (use === undefined) return []
  if (!Array.isArray(use)) throw ConfigInvalid(`${where}: use must be a list of middleware functions (ctx, next) => Promise<Response>, got ${typeof use}.`)
  return use.map((mw, i) => checkMiddlewareFunction(mw, `${where}: use[${i}]`, 'Components go in config.components (a middleware component in components.middleware), not in use.'))
}

/** Refuses, at startup, a route whose middleware needs a service no component registers (see `withNeeds`). */
function checkNeeds(use: readonly Middleware[], registry: Registry, label: string): void {
  for (const mw of use) {
    for (const need of needsOf(mw)) {
      if (!registry.has(need.token)) throw ComponentMissingRequirement(`Route ${label}: ${need.hint}`)
    }
  }
}

/** A plain object (not a handler function, not a `[Class, 'method']` tuple) is a route's options. */
const isOptions = (value: unknown): value is RouteOptions => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The documentation fields of route options as one {@link RouteDocs}, checked; undefined when none is given. */
export function checkDocs(options: { summary?: unknown; description?: unknown; tags?: unknown; deprecated?: unknown }, label: string): RouteDocs | undefined {
  const { summary, description, tags, deprecated } = options
  if (summary === undefined && description === undefined && tags === undefined && deprecated === undefined) return undefined
  for (const [key, value] of Object.entries({ summary, description })) {
    if (value !== undefined && typeof value !== 'string') throw RouterInvalidRoute(`Route ${label}: ${key} must be a string, got ${typeof value}.`)
  }
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) throw RouterInvalidRoute(`Route ${label}: tags must be a list of strings.`)
  if (deprecated !== undefined && typeof deprecated !== 'boolean') throw RouterInvalidRoute(`Route ${label}: deprecated must be true or false, got ${typeof deprecated}.`)
  return {
    ...(summary === undefined ? {} : { summary: summary as string }),
    ...(description === undefined ? {} : { description: description as string }),
    ...(tags === undefined ? {} : { tags: Object.freeze([...(tags as string[])]) }),
    ...(deprecated === undefined ? {} : { deprecated: deprecated as boolean }),
  }
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
  type Given = RouteHandler<any> | RouteOptions | undefined
  const add = (methods: string | readonly string[], path: string, second: Given, third: Given, caller: Caller) => {
    const full = join(prefix, path)
    const list = (typeof methods === 'string' ? [methods] : methods).map((m) => m.toUpperCase())
    const label = `${list.join(',')} ${full}`
    // `(path, options, handler)` when the second argument is an options object, else `(path, handler, options?)`.
    const optionsFirst = isOptions(second)
    const handler = (optionsFirst ? third : second) as RouteHandler<any>
    const options = ((optionsFirst ? second : third) ?? {}) as RouteOptions
    const site = captureCallSite(caller)
    const use = [...scoped, ...checkUse(options.use, `Route ${label}`)]
    checkNeeds(use, registry, label)
    const docs = checkDocs(options, label)
    const inner = toHandler(handler, full)
    const { schemas, onInvalid } = options
    if (schemas === undefined && onInvalid !== undefined) throw RouterInvalidRoute(`Route ${label}: onInvalid answers invalid input, so it needs schemas.`)
    if (schemas?.body !== undefined && list.every((m) => m === 'GET' || m === 'HEAD')) {
      throw ValidationSetup(`Route ${label}: a body schema on a route that answers only GET or HEAD, whose requests have no body. Validate the query instead (schemas.query).`)
    }
    if (schemas?.body !== undefined && !registry.has(BodyReader)) {
      throw ValidationSetup(`Route ${label} has a body schema, but no component reads request bodies: add 'body' to components.middleware (dovetailjs/components/middleware/body).`)
    }
    // Validation is the innermost step, after the route's middleware: a guard refuses before the body is read.
    const validated = schemas === undefined ? inner : withValidation(inner, { schemas, onInvalid, route: label })
    router.add({
      methods: list,
      path: full,
      handler: routeHandler(inner, validated, use),
      name: options.name,
      ...(use.length ? { middleware: use.map(middlewareName) } : {}),
      ...(schemas === undefined ? {} : { schemas }),
      ...(docs === undefined ? {} : { docs }),
      get source() {
        return site()
      },
    })
    return routes
  }
  const routes: Routes = {
    get: (p: string, h: Given, o?: Given) => add('GET', p, h, o, routes.get),
    post: (p: string, h: Given, o?: Given) => add('POST', p, h, o, routes.post),
    put: (p: string, h: Given, o?: Given) => add('PUT', p, h, o, routes.put),
    patch: (p: string, h: Given, o?: Given) => add('PATCH', p, h, o, routes.patch),
    delete: (p: string, h: Given, o?: Given) => add('DELETE', p, h, o, routes.delete),
    options: (p: string, h: Given, o?: Given) => add('OPTIONS', p, h, o, routes.options),
    all: (p: string, h: Given, o?: Given) => add(allMethods, p, h, o, routes.all),
    route: (m: string | readonly string[], p: string, h: Given, o?: Given) => add(m, p, h, o, routes.route),
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
