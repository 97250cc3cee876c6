import type { ComponentContext } from '../component/define-component.js'
import type { ReadyComponent } from '../component/validate-components.js'
import type { Container } from '../container/container.js'
import type { Token } from '../container/token.js'
import { Context, type ContextKernel } from '../context/context.js'
import { AppClosed, AppNoServer, HandlerNoResponse } from '../errors/codes.js'
import { type ErrorRenderer, errorDetails } from '../errors/error-renderer.js'
import { HttpError, MethodNotAllowedError, NotFoundError } from '../errors/http-error.js'
import { isResponse } from '../gateway/is-response.js'
import { lightResponse, lightResponseParts } from '../gateway/light-response.js'
import { normalizePath, pathOf, type PathRules, withPath } from '../gateway/path.js'
import { requestAt } from '../gateway/request-at.js'
import { compose } from '../pipeline/compose.js'
import type { Handler, Middleware } from '../pipeline/middleware.js'
import type { Logger } from '../slots/logger.js'
import { openApiDocument } from '../openapi/openapi-document.js'
import type { OpenApiDocument, OpenApiInfo } from '../openapi/types.js'
import type { Router, UrlParams } from '../slots/router.js'
import { type ListeningServer, Server } from '../slots/server.js'
import { timeLimitError, withinTimeLimit } from './time-limit.js'

export interface AppParts {
  container: Container
  router: Router
  components: readonly ReadyComponent[]
  environment: string
  logger: Logger
  renderError: ErrorRenderer
  server: { port: number | undefined; host: string | undefined }
  /** `limits.handlerTimeout` from the config: milliseconds, or `false`. */
  handlerTimeout: number | false
}

/**
 * A running Dovetail app. `fetch` is its gateway interface; everything else is
 * lifecycle and conveniences around it.
 */
export class App implements ContextKernel {
  readonly container: Container
  readonly environment: string
  readonly logger: Logger
  /** The router's path rules, applied by the one path normalisation (see `normalizePath`). */
  readonly pathRules: Readonly<PathRules>
  readonly #router: Router
  readonly #components: readonly ReadyComponent[]
  readonly #renderError: ErrorRenderer
  readonly #defaults: AppParts['server']
  readonly #servers = new Set<ListeningServer>()
  readonly #handlerTimeout: number | false
  #pipeline: Handler
  #closed: Promise<void> | undefined

  constructor(parts: AppParts) {
    this.container = parts.container
    this.environment = parts.environment
    this.logger = parts.logger
    this.#router = parts.router
    const rules = parts.router.pathRules
    this.pathRules = Object.freeze({
      caseSensitive: rules?.caseSensitive ?? true,
      ignoreDuplicateSlashes: rules?.ignoreDuplicateSlashes ?? false,
      ignoreTrailingSlash: rules?.ignoreTrailingSlash ?? false,
    })
    this.#components = parts.components
    this.#renderError = parts.renderError
    this.#defaults = parts.server
    this.#handlerTimeout = parts.handlerTimeout
    this.#pipeline = this.#dispatch
  }

  /** @internal Set once at boot, after the middleware is known. */
  useMiddleware(middleware: readonly Middleware[]): void {
    this.#pipeline = compose(middleware, this.#dispatch)
  }

  /**
   * The gateway interface: answer one request. Never throws: errors become
   * error responses, and uncaught ones are logged. A request still in its
   * handler after `limits.handlerTimeout` is answered 503 there and then.
   */
  readonly fetch = (original: Request): Promise<Response> => {
    // The one path normalisation, before any middleware: a path that has no
    // normal form is answered 400 here, and everything after (middleware,
    // router, handler, mounted app) sees the normal form, in ctx.path and in
    // ctx.request.url alike. Requests already in normal form (nearly all) are
    // passed on as they are; the others are rebuilt at the normalised URL.
    let request = original
    let path: string
    try {
      const raw = pathOf(original.url)
      path = normalizePath(raw, this.pathRules)
      if (path !== raw) request = requestAt(original, withPath(original.url, path))
    } catch (error) {
      const refusal = this.renderError(error, original)
      return Promise.resolve(original.method === 'HEAD' ? withoutBody(refusal) : refusal)
    }
    const ctx = new Context(request, this, path)
    const answer = this.#answer(ctx)
    const limit = this.#handlerTimeout
    if (limit === false) return answer
    return withinTimeLimit(answer, limit, () => {
      const error = timeLimitError(request.method, ctx.path, limit)
      ctx.timeUp(error)
      this.logger.warn({ method: request.method, path: ctx.path, handlerTimeout: limit }, 'the request outlived limits.handlerTimeout: answered 503 and aborted ctx.signal')
      const response = this.renderError(error, request)
      return request.method === 'HEAD' ? withoutBody(response) : response
    })
  }

  async #answer(ctx: Context): Promise<Response> {
    const request = ctx.request
    let response: Response
    try {
      response = await this.#pipeline(ctx)
      if (!isResponse(response)) {
        throw HandlerNoResponse(
          `${request.method} ${ctx.path}: the handler or a middleware returned ${response === undefined ? 'undefined' : typeof response} instead of a Response.`,
        )
      }
    } catch (error) {
      response = this.renderError(error, request)
    }
    try {
      const disposing = ctx.dispose()
      if (disposing) await disposing
    } catch (error) {
      this.logger.error({ err: error, method: request.method, path: ctx.path }, 'disposing the request scope failed')
    }
    return request.method === 'HEAD' ? withoutBody(response) : response
  }

  /** The path of a named route. */
  url(name: string, params?: UrlParams): string {
    return this.#router.url(name, params)
  }

  /**
   * An OpenAPI 3.1 document of the app's routes, made now from the router's
   * `routes()`: paths, parameters, bodies and responses from each route's
   * `schemas` (through the Standard JSON Schema interface), summary,
   * description, tags and deprecated from its docs, named routes as
   * operationIds, security from its guards. Mounted apps are not in it. See
   * docs/openapi.md.
   *
   * @param info the document's `info`; `title` defaults to `'API'`, `version` to `'0.0.0'`
   * @throws DOVETAIL_ERR_OPENAPI_NO_JSON_SCHEMA naming the route, for a schema that cannot describe itself
   * @throws DOVETAIL_ERR_OPENAPI_NO_ROUTES when the router cannot list its routes
   * @example
   * const doc = app.openapi({ title: 'Notes', version: '1.0.0' })
   * doc.paths['/notes/{id}']?.get?.operationId // 'note'
   */
  openapi(info?: Partial<OpenApiInfo>): OpenApiDocument {
    return openApiDocument(this.#router, { info, resolve: (t) => this.container.resolve(t) })
  }

  /** Resolve a singleton from the app's container. */
  resolve<T>(token: Token<T>): T {
    return this.container.resolve(token)
  }

  renderError(error: unknown, request: Request): Response {
    const details = errorDetails(error, request, this.environment)
    if (details.status >= 500) {
      // A client that hung up makes body reads fail; that is the client's doing, not a bug to page anyone about.
      if (request.signal.aborted) this.logger.info({ method: request.method, url: request.url }, 'the client closed the connection before the response')
      // A deliberate 503 (a database or store down, the time limit) is no bug: whoever threw it reports
      // the cause once, at warn; an error with a stack for each request it turns away would bury that line.
      else if (error instanceof HttpError && error.status === 503) this.logger.debug({ method: request.method, url: request.url, code: details.code, reason: error.message }, 'answered 503')
      else this.logger.error({ err: error, method: request.method, url: request.url }, 'uncaught error while handling a request')
    }
    return this.#renderError(details)
  }

  /**
   * Serve the app with the server component. Port and host come from the
   * arguments, else `PORT`/`HOST`, else `config.server`, else 3000 and 127.0.0.1.
   */
  async listen(options: { port?: number; host?: string } = {}): Promise<ListeningServer> {
    if (this.#closed) throw AppClosed('app.listen() after app.close().')
    if (this.container.lifetimeOf(Server) === undefined) {
      throw AppNoServer('app.listen() needs a component in the server slot (components.server), e.g. the built-in "node".')
    }
    const server = this.container.resolve(Server)
    const listening = await server.listen(this.fetch, {
      port: options.port ?? this.#defaults.port ?? 3000,
      host: options.host ?? this.#defaults.host ?? '127.0.0.1',
    })
    this.#servers.add(listening)
    return listening
  }

  /**
   * Graceful shutdown: stop accepting connections, let requests in flight
   * finish, stop components in reverse start order, then dispose singletons.
   * Safe to call more than once.
   */
  close(): Promise<void> {
    this.#closed ??= this.#shutdown()
    return this.#closed
  }

  async #shutdown(): Promise<void> {
    await Promise.all([...this.#servers].map((s) => s.close()))
    const failures: unknown[] = []
    const context: ComponentContext = { resolve: (t) => this.container.resolve(t), env: this.environment }
    for (const r of [...this.#components].reverse()) {
      try {
        await r.component.definition.stop?.(context, r.options as never)
      } catch (error) {
        failures.push(error)
        this.logger.error({ err: error, component: r.component.definition.name }, 'component failed to stop')
      }
    }
    await this.container.dispose()
    if (failures.length) throw new AggregateError(failures, 'Some components failed to stop')
  }

  readonly #dispatch: Handler = (ctx) => {
    const match = this.#router.match(ctx.request.method, ctx.path)
    switch (match.kind) {
      case 'route':
        ctx.params = match.params
        return match.handler(ctx)
      case 'mount':
        return match.fetch(requestAt(ctx.request, withPath(ctx.request.url, pathBelow(ctx.path, match.prefix))))
      case 'method-not-allowed':
        throw new MethodNotAllowedError(match.allowed)
      default:
        throw new NotFoundError()
    }
  }
}

/**
 * The path a mounted handler sees: the normalised path with as many segments
 * cut off as the mount prefix has. Counted in segments, not characters: the
 * router matched the prefix after its own decoding and case folding, so
 * `/caf%C3%A9/x` under a mount at `/café` is `/x`. ctx.path has no dot
 * segments, so the result cannot climb back above the prefix.
 */
function pathBelow(path: string, prefix: string): string {
  let segments = 0
  for (const part of prefix.split('/')) if (part !== '') segments++
  let at = 0
  for (let i = 0; i < segments; i++) {
    at = path.indexOf('/', at + 1)
    if (at < 0) return '/'
  }
  return path.slice(at)
}

function withoutBody(response: Response): Response {
  const light = lightResponseParts(response)
  if (light) {
    // Keep the length the GET would have had, as HEAD promises.
    const headers = new Headers(light.headers)
    if (light.body !== null && !headers.has('content-length')) {
      // TextEncoder, not Buffer: the core runs on fetch hosts without node's globals (Workers, Deno).
      headers.set('content-length', String(typeof light.body === 'string' ? new TextEncoder().encode(light.body).byteLength : light.body.byteLength))
    }
    return lightResponse(null, light.status, headers)
  }
  if (response.body === null) return response
  void response.body.cancel()
  return new Response(null, { status: response.status, statusText: response.statusText, headers: response.headers })
}
