import type { Container, ScopeHolder } from '../container/container.js'
import type { Token } from '../container/token.js'
import { TemplateNoEngine, TemplateRender } from '../errors/codes.js'
import { NotFoundError } from '../errors/http-error.js'
import { lightResponse } from '../gateway/light-response.js'
import { encodeLocation } from '../gateway/location.js'
import { clientAddress } from '../gateway/client-address.js'
import { normalizePath, pathOf, type PathRules, queryOf } from '../gateway/path.js'
import { enterResolve, leaveResolve, type RequestAbort, requestAbort } from './request-signal.js'
import type { UrlParams } from '../slots/router.js'
import { TemplateEngine, type TemplateGlobals } from '../slots/template.js'

/** What a context needs from its app. */
export interface ContextKernel {
  readonly container: Container
  readonly environment: string
  /** The router's path rules, which `ctx.path` is normalised with. */
  readonly pathRules: Readonly<PathRules>
  url(name: string, params?: UrlParams): string
  renderError(error: unknown, request: Request): Response
}

export interface ResponseInitLite {
  status?: number
  headers?: Record<string, string> | Headers
}

const TEXT = 'text/plain; charset=utf-8'
const HTML = 'text/html; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * What middleware and handlers keep on `ctx.state`. Declare the fields your
 * middleware sets by augmenting this interface, once, and every handler
 * reads them typed; anything else stays `unknown`.
 *
 * @example
 * declare module 'dovetailjs' {
 *   interface ContextState {
 *     user?: { id: number; name: string }
 *   }
 * }
 * r.get('/me', (ctx) => ctx.json({ name: ctx.state.user?.name }))
 */
export interface ContextState {
  [key: string]: unknown
}

const noInput = Object.freeze({})

/**
 * One request's context: the request, its route parameters, per-request state,
 * the container, URL generation and response helpers.
 *
 * Everything is computed on first use (path, query, the request scope), so a
 * handler pays only for what it reads.
 *
 * @example
 * r.get('/pages/:slug', (ctx) => ctx.json({ slug: ctx.params.slug, page: ctx.query.page }))
 */
export class Context<Params extends object = Record<string, string>, Input = {}, State extends ContextState = ContextState> {
  /** Route parameters, decoded. Typed from the route's path in a handler given to `r.get('/notes/:id', …)`: `ctx.params.id`. */
  params: Params = {} as Params
  /**
   * The validated input of a route with `schemas` (docs/validation.md): the
   * value each schema gave for `params`, `query`, `headers` and `body`,
   * typed from the schemas; `{}` for a route without any.
   *
   * @example
   * r.post('/notes', { schemas: { body: z.object({ title: z.string() }) } }, (ctx) => ctx.json({ title: ctx.input.body.title }))
   */
  input: Input = noInput as Input
  #state: State | undefined
  readonly #kernel: ContextKernel
  #path: string | undefined
  #query: Record<string, string> | undefined
  #searchParams: URLSearchParams | undefined
  #scope: ScopeHolder | undefined
  #abort: RequestAbort | undefined
  #timeUp: unknown

  /**
   * @param path The request's normalised path, when the caller has computed it
   * (the app does, once, before the pipeline); else computed on first use.
   */
  constructor(
    readonly request: Request,
    kernel: ContextKernel,
    path?: string,
  ) {
    this.#kernel = kernel
    this.#path = path
  }

  /** Per-request storage for middleware and handlers (made on first use). */
  get state(): State {
    this.#state ??= {} as State
    return this.#state
  }

  /** `development`, `production` or `test`. */
  get environment(): string {
    return this.#kernel.environment
  }

  /** The peer's network address as the server adapter saw it (a proxy's, behind one), or `undefined`. */
  get clientAddress(): string | undefined {
    return clientAddress(this.request)
  }

  /**
   * Aborts when this request should stop: the client closed the connection
   * (`request.signal` says that much), or the app's time limit
   * (`limits.handlerTimeout`) passed, whose reason is the 503 the client got.
   * On an adapter that offers its signal's controller (`requestAbortKey`, as
   * the node server does) it is `request.signal` itself, which the time limit
   * then aborts too.
   * Hand it to whatever can stop early (`fetch(url, { signal: ctx.signal })`);
   * the orm component cancels a running query with it. Made on first read:
   * a request that never reads it pays nothing.
   *
   * @example
   * r.get('/report', async (ctx) => ctx.json(await fetch(upstream, { signal: ctx.signal }).then((r) => r.json())))
   */
  get signal(): AbortSignal {
    this.#abort ??= requestAbort(this.request, this.#timeUp)
    return this.#abort.controller.signal
  }

  /** @internal The time limit passed: `ctx.signal` aborts with `reason`. */
  timeUp(reason: unknown): void {
    this.#timeUp = reason
    this.#abort?.controller.abort(reason)
  }

  /**
   * The request path in its one normal form (see `normalizePath` and
   * docs/router.md#paths): escapes of letters, digits and `-._~` decoded,
   * every other escape kept in upper case (`%2F`, `%20`, `%C3%A9`), no dot
   * segments, and the router's case and slash rules applied. The router
   * matched exactly this string, so a guard can compare prefixes:
   *
   * @example
   * if (ctx.path === '/admin' || ctx.path.startsWith('/admin/')) return ctx.text('Forbidden', { status: 403 })
   */
  get path(): string {
    this.#path ??= normalizePath(pathOf(this.request.url), this.#kernel.pathRules)
    return this.#path
  }

  /** The router's rules `ctx.path` was normalised with (whether a trailing slash counts, case, duplicate slashes). */
  get pathRules(): Readonly<PathRules> {
    return this.#kernel.pathRules
  }

  /** Query parameters (first value of each); see `searchParams` for repeated keys. */
  get query(): Record<string, string> {
    if (this.#query === undefined) {
      // The first value of a repeated key (fromEntries alone would keep the last); fromEntries
      // defines properties, so a `__proto__` key is an entry and never a prototype change.
      const first = new Map<string, string>()
      for (const [key, value] of this.searchParams) if (!first.has(key)) first.set(key, value)
      this.#query = Object.fromEntries(first)
    }
    return this.#query
  }

  /** All query parameters, repeated keys included (`searchParams.getAll('tag')`). */
  get searchParams(): URLSearchParams {
    this.#searchParams ??= new URLSearchParams(queryOf(this.request.url))
    return this.#searchParams
  }

  /**
   * Resolve a service. Singletons come from the app; the first scoped or
   * transient resolution creates this request's scope, disposed when the
   * response is ready.
   */
  resolve<T>(token: Token<T>): T {
    this.#scope ??= { scope: undefined }
    // So that a RequestSignal resolved on the way is this request's.
    const outer = enterResolve(this)
    try {
      return this.#kernel.container.resolveFor(this.#scope, token)
    } finally {
      leaveResolve(outer)
    }
  }

  /** The path of a named route, parameters encoded. */
  url(name: string, params?: UrlParams): string {
    return this.#kernel.url(name, params)
  }

  text(body: string, init?: ResponseInitLite): Response {
    return respond(body, TEXT, init)
  }

  html(body: string, init?: ResponseInitLite): Response {
    return respond(body, HTML, init)
  }

  json(data: unknown, init?: ResponseInitLite): Response {
    return respond(JSON.stringify(data), JSON_TYPE, init)
  }

  /**
   * Render a template of the template component to an HTML response
   * (`text/html; charset=utf-8`, status 200 unless `init` says otherwise).
   * Besides `data`, the template sees the component's globals, `url(name,
   * params)` for this request, and whatever middleware put into
   * `ctx.state.templateGlobals` (an object of names: a CSRF middleware adds
   * `csrfField` there). A failed render throws, so the error page replaces
   * the whole response: no half-written page is ever sent.
   *
   * @example
   * r.get('/pages/:slug', async (ctx) => ctx.render('pages/show', { page: await pages.find(ctx.params.slug) }))
   */
  async render(name: string, data: Record<string, unknown> = {}, init?: ResponseInitLite): Promise<Response> {
    if (this.#kernel.container.lifetimeOf(TemplateEngine) === undefined) {
      throw TemplateNoEngine(
        `ctx.render('${name}') needs a component in the template slot, and none is configured. Set components.template in the config, e.g. components: { template: eta({ views: './views' }) } from 'dovetailjs/components/template/eta', or nunjucks.`,
      )
    }
    const extra = this.state.templateGlobals
    if (extra !== undefined && (typeof extra !== 'object' || extra === null || Array.isArray(extra))) {
      throw TemplateRender(`ctx.state.templateGlobals must be an object of names for templates, but a middleware set it to ${Array.isArray(extra) ? 'an array' : String(extra)}.`)
    }
    const globals: TemplateGlobals = { url: (route: string, params?: UrlParams) => this.url(route, params), ...(extra as TemplateGlobals | undefined) }
    const html = await this.resolve(TemplateEngine).render(name, data, { globals })
    return respond(html, HTML, init)
  }

  /**
   * A redirect (302 by default) to a path or URL. The target is percent-encoded
   * for the `Location` header as UTF-8 (non-ASCII text, spaces, CR and LF, a
   * stray `%`), escapes already there are kept, and a non-ASCII host takes its
   * `xn--` form, so any string gives a valid redirect and none can add a header.
   *
   * @example
   * r.get('/old', (ctx) => ctx.redirect('/café?q=ü', 301)) // Location: /caf%C3%A9?q=%C3%BC
   */
  redirect(location: string, status: 301 | 302 | 303 | 307 | 308 = 302): Response {
    return lightResponse(null, status, { location: encodeLocation(location) })
  }

  /** The app's 404 response, negotiated like every error response. */
  notFound(message?: string): Response {
    return this.#kernel.renderError(new NotFoundError(message), this.request)
  }

  /**
   * @internal The request is over: stop following the client's signal, and
   * dispose the request scope, if one was created. Returns
   * `undefined` when there is none, so the app skips an await (a promise and a
   * microtask) on every request that resolved nothing scoped.
   */
  dispose(): Promise<void> | undefined {
    this.#abort?.release()
    return this.#scope?.scope?.dispose()
  }
}

function respond(body: string, type: string, init: ResponseInitLite | undefined): Response {
  if (!init) return lightResponse(body, 200, { 'content-type': type })
  const headers = init.headers instanceof Headers ? init.headers : { 'content-type': type, ...init.headers }
  if (headers instanceof Headers && !headers.has('content-type')) headers.set('content-type', type)
  return lightResponse(body, init.status ?? 200, headers)
}
