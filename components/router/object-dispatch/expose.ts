import { captureCallSite, type Context, type ControllerAction, DovetailError, type Handler, type InjectableClass, type OnInvalid, type RouteDocs, type RouteHandler, type RouteInput, type RouteSchemas, withValidation } from '../../../core/index.js'

/**
 * Handlers by method, lower- or upper-case keys: `{ get: show, post: [PageController, 'save'] }`.
 * Each value is a function of the context or a controller action `[Class, 'method']`.
 */
export type MethodHandlers = { readonly [method: string]: RouteHandler<any> }

export interface ExposeOptions<Schemas extends RouteSchemas | undefined = RouteSchemas | undefined> {
  /**
   * The methods the handler answers, for a single handler. GET also answers HEAD
   * unless a HEAD handler exists. Not allowed with a per-method object, whose keys say it.
   * @default ['GET']
   */
  methods?: readonly string[]
  /** A name for `ctx.url(name, params)` and `app.url`; the path comes from where the action sits in the tree. */
  name?: string
  /**
   * Names for the segments after the action's own, all required:
   * `show: expose(handler, { params: ['slug'] })` under `pages` answers
   * `/pages/show/FrontPage` with `ctx.params.slug === 'FrontPage'`, and
   * `/pages/show` and `/pages/show/a/b` not at all. Letters, digits and `_`.
   * @default []
   */
  params?: readonly string[]
  /**
   * Standard Schema validators for the action's input and documented output,
   * as a route's `schemas` (docs/validation.md): checked for every method the
   * `expose()` answers, before its handler, which reads `ctx.input`. Give a
   * form's GET and POST as two `expose()`s in a list at one key
   * (`[expose(form), expose(save, { methods: ['POST'], schemas })]`) to check
   * only the POST.
   */
  schemas?: Schemas
  /** How a browser's invalid input is answered instead of the 422, as a route's `onInvalid`. Needs `schemas`. */
  onInvalid?: OnInvalid
  /** One line for tools (OpenAPI's summary). */
  summary?: string
  /** Longer text for tools (OpenAPI's description). */
  description?: string
  /** Tags for tools (OpenAPI's tags). */
  tags?: readonly string[]
  /** Marks the action deprecated for tools. */
  deprecated?: boolean
}

/**
 * A routable action: what {@link expose} returns. Only values made by `expose`
 * dispatch, so nothing else on a controller (helpers, fields, prototype
 * members) can be reached from a URL.
 */
export interface Exposed {
  /** Upper-case method to handler. */
  readonly handlers: ReadonlyMap<string, Handler>
  readonly name: string | undefined
  readonly params: readonly string[]
  /** The controller classes its handlers resolve per request, for the component to register. */
  readonly classes: readonly InjectableClass[]
  /**
   * Where `expose()` was called, `file:line`, as `r.get()` records a route's
   * line: what the router's `routes()` gives as `source`. Worked out when
   * read; undefined where the runtime keeps no stack.
   */
  readonly source: string | undefined
  /** The `schemas` given, which the router's `routes()` hands back. */
  readonly schemas: RouteSchemas | undefined
  /** The documentation given (summary, description, tags, deprecated), or undefined when none was. */
  readonly docs: RouteDocs | undefined
}

// A WeakSet rather than a brand property: nothing built elsewhere (a JSON body, a
// copied object) can pass for an action.
const exposedActions = new WeakSet<Exposed>()

export const isExposed = (value: unknown): value is Exposed => typeof value === 'object' && value !== null && exposedActions.has(value as Exposed)

// RFC 9110 token characters: what a method name may be made of.
const methodToken = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
// Letters, digits and _, as the radix router's `:name`; never `__proto__`, which an assignment would not store.
export const paramName = /^(?!__proto__$)[A-Za-z0-9_]+$/

const invalid = (message: string) => new DovetailError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', message)

/**
 * Make a handler routable in a controller tree. With `schemas`, the handler's
 * `ctx.input` is typed from them, as in `r.get()`. The handler is a function of
 * the context, a controller action `[Class, 'method']` (the class is resolved
 * from the container for each request, scoped unless registered otherwise),
 * or an object of those by method.
 *
 * @example
 * const root = {
 *   index: expose((ctx) => ctx.text('home'), { name: 'home' }),          // GET /
 *   about: expose([PageController, 'about']),                             // GET /about
 *   login: expose({ get: [AccountController, 'form'], post: [AccountController, 'login'] }, { name: 'login' }),
 *   feed: expose(feed, { methods: ['GET', 'POST'] }),
 *   tags: expose(showTag, { params: ['tag'], name: 'tag' }),             // GET /tags/<tag>
 * }
 */
export function expose<const Schemas extends RouteSchemas | undefined = undefined, C = any>(
  handler: ((ctx: Context<Record<string, string>, RouteInput<Schemas>>) => Response | Promise<Response>) | ControllerAction<C> | MethodHandlers,
  options: ExposeOptions<Schemas> = {},
): Exposed {
  const site = captureCallSite(expose)
  const label = options.name === undefined ? 'expose()' : `expose(…, { name: '${options.name}' })`
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) throw invalid(`${label}: name must be a non-empty string.`)
  const params = [...(options.params ?? [])]
  for (const param of params) {
    if (typeof param !== 'string' || !paramName.test(param)) throw invalid(`${label}: parameter name '${String(param)}' must be letters, digits and _ (not __proto__).`)
  }
  if (new Set(params).size !== params.length) throw invalid(`${label}: params [${params.join(', ')}] names a parameter twice.`)

  if (options.schemas === undefined && options.onInvalid !== undefined) throw invalid(`${label}: onInvalid answers invalid input, so it needs schemas.`)
  // The action's path is known only where the tree puts it, so messages name the expose() call and its line.
  const at = options.schemas === undefined ? '' : ` at ${site() ?? 'an unknown line'}`
  const validated = (handler: Handler, method: string): Handler =>
    options.schemas === undefined ? handler : withValidation(handler, { schemas: options.schemas, onInvalid: options.onInvalid, route: `${method} ${label}${at}` })
  const handlers = new Map<string, Handler>()
  const classes: InjectableClass[] = []
  // One handler per distinct function or [Class, 'method'], however many methods it answers: routes() lists
  // an action's methods grouped by handler, so `expose(h, { methods: ['GET', 'POST'] })` is one route.
  const made: [RouteHandler<any>, Handler][] = []
  const addHandler = (method: string, value: RouteHandler<any>) => {
    if (typeof method !== 'string' || !methodToken.test(method)) throw invalid(`${label}: '${String(method)}' is not an HTTP method name.`)
    const upper = method.toUpperCase()
    if (handlers.has(upper)) throw invalid(`${label}: ${upper} is given twice.`)
    let entry = made.find(([given]) => sameHandler(given, value))
    if (!entry) made.push((entry = [value, validated(toHandler(value, `${label} for ${upper}`, classes), upper)]))
    handlers.set(upper, entry[1])
  }
  if (isPerMethod(handler)) {
    if (options.methods !== undefined) throw invalid(`${label}: give methods either as the keys of the handler object or as the methods option, not both.`)
    for (const [method, value] of Object.entries(handler)) addHandler(method, value)
    if (handlers.size === 0) throw invalid(`${label}: the handler object has no methods.`)
  } else {
    const methods = options.methods ?? ['GET']
    if (!Array.isArray(methods) || methods.length === 0) throw invalid(`${label}: methods must list at least one method.`)
    for (const method of methods) addHandler(method, handler as RouteHandler<any>)
  }
  const exposed: Exposed = Object.freeze({
    handlers,
    name: options.name,
    params: Object.freeze(params),
    classes: Object.freeze(classes),
    schemas: options.schemas,
    docs: docsOf(options),
    get source() {
      return site()
    },
  })
  exposedActions.add(exposed)
  return exposed
}

const isPerMethod = (value: unknown): value is MethodHandlers =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype

/** A function, or `[Class, 'method']` resolved from the request's container: as `r.get(path, [Class, 'method'])` does. */
function toHandler(value: RouteHandler<any>, label: string, classes: InjectableClass[]): Handler {
  if (typeof value === 'function') return value
  if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'function' && typeof value[1] === 'string') {
    const [controller, action] = value as unknown as [InjectableClass<Record<string, Handler>>, string]
    const method: unknown = controller.prototype?.[action]
    // Object's own methods (toString, hasOwnProperty, …) and the constructor are no actions, whatever the class.
    if (typeof method !== 'function' || action === 'constructor' || method === (Object.prototype as Record<string, unknown>)[action]) {
      throw invalid(`${label}: ${controller.name || 'the class'} has no method '${action}'.`)
    }
    if (!classes.includes(controller)) classes.push(controller)
    const run: Handler = (ctx) => ctx.resolve(controller)[action]!(ctx)
    // Named as written, as r.get(path, [Class, 'method']) names it: `dovetail routes` shows `PageController.show`.
    return Object.defineProperty(run, 'name', { value: `${controller.name}.${action}` })
  }
  throw invalid(`${label}: a handler must be a function (ctx) => Response or a controller action [Class, 'method'].`)
}

/** The same function, or the same class and method (in two tuples), is one handler. */
const sameHandler = (a: RouteHandler<any>, b: RouteHandler<any>): boolean =>
  a === b || (Array.isArray(a) && Array.isArray(b) && a.length === 2 && b.length === 2 && a[0] === b[0] && a[1] === b[1])

/** The documentation fields given, as one object; undefined when none is. */
export function docsOf(options: { summary?: string; description?: string; tags?: readonly string[]; deprecated?: boolean }): RouteDocs | undefined {
  const { summary, description, tags, deprecated } = options
  if (summary === undefined && description === undefined && tags === undefined && deprecated === undefined) return undefined
  return {
    ...(summary === undefined ? {} : { summary }),
    ...(description === undefined ? {} : { description }),
    ...(tags === undefined ? {} : { tags }),
    ...(deprecated === undefined ? {} : { deprecated }),
  }
}
