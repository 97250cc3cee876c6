import { createHash } from 'node:crypto'
import {
  appendVary,
  Cache,
  type CacheSetOptions,
  type Context,
  DovetailError,
  editHeaders,
  HttpError,
  ifNoneMatch,
  type Middleware,
  ServiceUnavailableError,
  withNeeds,
} from '../../../core/index.js'
import { readCookies } from '../session/index.js'
import { strongEtag } from './etag.js'
import { cacheResponseOptions, type CacheResponseOptions, type CacheResponseSettings } from './options.js'

/** A response as the cache keeps it: plain JSON, the body in base64 (it may be any bytes). */
interface StoredResponse {
  headers: [string, string][]
  body: string
  /** When it was stored (ms since the epoch, this machine's clock), for `Age`. */
  at: number
}

/** Thrown inside the computation when the handler's response may not be stored; never leaves this file. */
const NOT_CACHEABLE = Symbol('not cacheable')

/** Carries the handler's own error through the cache, so it is not taken for the cache failing. */
class HandlerFailed {
  constructor(readonly error: unknown) {}
}

/** Headers never stored: they belong to one exchange, or are set afresh on every answer. */
const unstored = new Set(['set-cookie', 'date', 'age', 'cache-status', 'connection', 'keep-alive', 'transfer-encoding', 'content-length'])

/**
 * Caches a route's `200` responses to `GET` in the app's cache (the `cache`
 * slot), for `ttl` ms, with `tags` to clear them by, and answers `HEAD` from
 * them too (a `HEAD` miss runs the route without storing: a route may answer
 * `HEAD` itself, with no body):
 *
 * - **Who asks.** A request carrying one of `bypassCookies` (by default the
 *   session cookie, `sid`) or an `Authorization` header bypasses the cache
 *   both ways: it is neither served a stored response nor stores its own,
 *   since it may be rendered for that user (their name, a CSRF token). A
 *   response that sets a cookie, or says `Cache-Control: private` or
 *   `no-store`, is never stored either. Responses get `Vary: Cookie` so that
 *   shared caches downstream keep the two kinds apart.
 * - **Variants.** The key is the path and query, plus the value of each
 *   header in `vary`, which is also added to `Vary`. A response whose own
 *   `Vary` names a header outside `vary` is not stored (it could not be
 *   told apart).
 * - **Validation.** Every response it serves has a strong `ETag` computed
 *   from the body (unless the handler set one), and a request whose
 *   `If-None-Match` matches is answered `304` with no body. `Cache-Control`
 *   is `no-cache` (clients revalidate, cheaply) or `public, max-age=<maxAge>`,
 *   unless the handler set it. A response served from the cache has `Age`,
 *   and `Cache-Status` (RFC 9211) says `hit`, `fwd=miss; stored`, `fwd=miss`
 *   (not storable) or `fwd=bypass`.
 * - **One render at a time.** Concurrent misses of one key in a process wait
 *   for the first request's handler (`getOrCompute`) instead of each running
 *   it; if that response turns out not storable, each runs its own.
 * - **Outages.** When the cache rejects or its lookup takes longer than
 *   `timeout` ms, the request is answered 503 with `Retry-After`, as the
 *   session middleware does for its store. The handler's own errors pass
 *   through untouched.
 *
 * @example
 * import { cacheResponse } from 'dovetailjs/components/middleware/cache-response'
 * r.get('/pages/:slug', showPage, { use: [cacheResponse({ ttl: 60_000, tags: (ctx) => [`page:${ctx.params.slug}`] })] })
 * // after an edit: await ctx.resolve(Cache).clearTag(`page:${slug}`)
 */
export function cacheResponse(options: CacheResponseOptions): Middleware {
  const settings = parseOptions(options)
  const vary = [...settings.vary, ...(settings.bypassCookies.length ? ['Cookie'] : [])]
  const allowedVary = new Set(vary.map((name) => name.toLowerCase()))

  return withNeeds(cacheResponseMiddleware, { token: Cache, hint: missingCache })

  async function cacheResponseMiddleware(ctx: Context, next: () => Promise<Response>): Promise<Response> {
    const { request } = ctx
    if (request.method !== 'GET' && request.method !== 'HEAD') return next()
    if (bypasses(request, settings)) return finish(await next(), vary, 'fwd=bypass')

    const cache = cacheOf(ctx)
    const key = keyOf(ctx, settings)
    const hit = await guard(settings, () => cache.get<StoredResponse>(key))
    if (hit) return answer(request, hit, vary, 'hit')
    // Only a GET stores: a route may answer HEAD itself, with no body, which must not become the GET's entry.
    if (request.method === 'HEAD') return finish(await next(), vary, 'fwd=miss')

    let computedHere = false
    let own: Response | undefined
    const setOptions: CacheSetOptions = { ttl: settings.ttl, tags: typeof settings.tags === 'function' ? settings.tags(ctx) : settings.tags }
    try {
      const stored = await cache.getOrCompute<StoredResponse>(
        key,
        async () => {
          computedHere = true
          let response: Response
          try {
            response = await next()
          } catch (error) {
            throw new HandlerFailed(error)
          }
          const captured = await capture(response, settings, allowedVary)
          if (captured instanceof Response) {
            own = captured
            throw NOT_CACHEABLE
          }
          return captured
        },
        setOptions,
      )
      return answer(request, stored, vary, computedHere ? 'fwd=miss; stored' : 'hit')
    } catch (error) {
      if (error === NOT_CACHEABLE) return own ? finish(own, vary, 'fwd=miss') : finish(await next(), vary, 'fwd=miss')
      if (error instanceof HandlerFailed) throw error.error
      throw unavailable(error, settings)
    }
  }
}

function parseOptions(options: CacheResponseOptions): CacheResponseSettings {
  const parsed = cacheResponseOptions.safeParse(options)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]!
  throw new DovetailError('DOVETAIL_ERR_CONFIG_INVALID', `cacheResponse(): option '${issue.path.join('.') || '(options)'}': ${issue.message}. See docs/cache.md#cacheresponse.`)
}

const missingCache = "cacheResponse() needs a component in the cache slot: add components: { cache: 'memory' } (one process) or { cache: 'redis' } (shared) to the config. See docs/cache.md."

// Also at request time: the middleware may be used outside a route's use (a handler calling it, an app-wide list), which startup can't see.
function cacheOf(ctx: Context): Cache {
  try {
    return ctx.resolve(Cache)
  } catch (error) {
    throw new DovetailError(
      'DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT',
      `cacheResponse() on ${ctx.request.method} ${ctx.path} needs a component in the cache slot: add components: { cache: 'memory' } (one process) or { cache: 'redis' } (shared) to the config. See docs/cache.md.`,
      { cause: error },
    )
  }
}

/** Someone's request: a session (or other listed) cookie, or credentials. */
function bypasses(request: Request, settings: CacheResponseSettings): boolean {
  if (request.headers.has('authorization')) return true
  const cookie = request.headers.get('cookie')
  return cookie !== null && settings.bypassCookies.some((name) => readCookies(cookie, name).length > 0)
}

/**
 * The origin (an app serving several host names may render them differently), path and query, and
 * each varied header's value, hashed so that keys stay short whatever the URL.
 */
function keyOf(ctx: Context, settings: CacheResponseSettings): string {
  const url = new URL(ctx.request.url)
  const parts = [url.origin, ctx.path, url.search, ...settings.vary.map((name) => `${name.toLowerCase()}:${ctx.request.headers.get(name) ?? ''}`)]
  return `response:${createHash('sha256').update(JSON.stringify(parts)).digest('base64url')}`
}

/** The response as it will be stored, or the response itself (its body read) when it may not be. */
async function capture(response: Response, settings: CacheResponseSettings, allowedVary: ReadonlySet<string>): Promise<StoredResponse | Response> {
  if (response.status !== 200 || !storable(response.headers, allowedVary)) return response
  const body = new Uint8Array(await response.arrayBuffer())
  const rebuilt = () => new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  if (body.byteLength > settings.maxBodyBytes) return rebuilt()
  const headers = new Headers()
  for (const [name, value] of response.headers) if (!unstored.has(name)) headers.append(name, value)
  if (!headers.has('etag')) headers.set('etag', strongEtag(body))
  if (!headers.has('cache-control')) headers.set('cache-control', settings.maxAge > 0 ? `public, max-age=${settings.maxAge}` : 'no-cache')
  return { headers: [...headers], body: Buffer.from(body).toString('base64'), at: Date.now() }
}

function storable(headers: Headers, allowedVary: ReadonlySet<string>): boolean {
  if (headers.has('set-cookie')) return false
  const control = (headers.get('cache-control') ?? '').toLowerCase()
  if (/(^|[\s,])(private|no-store)([\s,=]|$)/.test(control)) return false
  const varied = (headers.get('vary') ?? '').split(',').map((name) => name.trim().toLowerCase()).filter(Boolean)
  return varied.every((name) => name !== '*' && allowedVary.has(name))
}

/** A stored response for this request: 304 when its `If-None-Match` matches. */
function answer(request: Request, stored: StoredResponse, vary: readonly string[], status: string): Response {
  const headers = new Headers(stored.headers)
  if (status === 'hit') headers.set('age', String(Math.max(0, Math.floor((Date.now() - stored.at) / 1000))))
  for (const name of vary) appendVary(headers, name)
  headers.set('cache-status', `dovetail; ${status}`)
  if (ifNoneMatch(request.headers.get('if-none-match'), headers.get('etag')!)) {
    for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language']) headers.delete(name)
    return new Response(null, { status: 304, headers })
  }
  return new Response(Buffer.from(stored.body, 'base64'), { status: 200, headers })
}

/** A response that did not come from the cache, with what a cache downstream needs to know. */
function finish(response: Response, vary: readonly string[], status: string): Response {
  return editHeaders(response, (headers) => {
    for (const name of vary) appendVary(headers, name)
    headers.set('cache-status', `dovetail; ${status}`)
  })
}

/** The cache lookup, bounded by `timeout`; a failure is the cache's, answered 503. */
async function guard<T>(settings: CacheResponseSettings, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  try {
    const pending = work()
    // It may still fail after the timeout has answered for it.
    pending.catch(() => {})
    return await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${settings.timeout} ms (cacheResponse's timeout)`)), settings.timeout)
      }),
    ])
  } catch (error) {
    throw unavailable(error, settings)
  } finally {
    clearTimeout(timer)
  }
}

/** A cache failure as a 503; the app's own bugs (a DovetailError) and chosen statuses pass through. */
function unavailable(error: unknown, settings: CacheResponseSettings): unknown {
  if (error instanceof DovetailError || (error instanceof HttpError && !(error instanceof ServiceUnavailableError))) return error
  return new ServiceUnavailableError(`response cache: ${error instanceof Error ? error.message : String(error)}`, { retryAfter: settings.retryAfter, cause: error })
}
