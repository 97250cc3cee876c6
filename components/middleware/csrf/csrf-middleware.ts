import { type Context, escapeHtml, type HttpErrorFactory, type Logger, type Middleware, safeHtml, type SafeHtml } from '../../../core/index.js'
import { hasSession, session, type Session } from '../session/index.js'
import { CsrfNoSession, CsrfOriginMismatch, CsrfTokenInvalid, CsrfTokenMissing } from './errors.js'
import { formToken } from './form-token.js'
import { maskToken, newCsrfSecret, tokenMatches } from './token.js'

/** The csrf middleware's settings, after validation (see `csrfOptions` for defaults). */
export interface CsrfSettings {
  fieldName: string
  headerName: string
  trustedOrigins: readonly string[]
  exemptPaths: readonly string[]
  tokenRequired: 'forms' | 'always'
  maxScanBytes: number
}

/** Where the per-session secret lives in the session. */
export const CSRF_SESSION_KEY = 'dovetail.csrf'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])
// What a page on another site can send without a CORS preflight: these need the token.
const SIMPLE_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain', ''])

const tokenFor = (s: Session): string => {
  let secret = s.get(CSRF_SESSION_KEY) as string | undefined
  if (typeof secret !== 'string') {
    secret = newCsrfSecret()
    s.set(CSRF_SESSION_KEY, secret)
  }
  return maskToken(secret)
}

/**
 * A CSRF token for this request's session, for pages not rendered with
 * `ctx.render` (a JSON endpoint an SPA reads, a `<meta>` tag built by hand).
 * Send it back in the `x-csrf-token` header or the `_csrf` form field.
 *
 * @example
 * r.get('/api/csrf', async (ctx) => ctx.json({ token: await csrfToken(ctx) }))
 */
export async function csrfToken(ctx: Context): Promise<string> {
  return tokenFor(await session(ctx))
}

/**
 * The middleware behind `middleware/csrf`. On every request it adds
 * `csrfToken` and `csrfField()` to `ctx.state.templateGlobals`; on unsafe
 * methods it checks the Origin (or Referer) against the request's own origin
 * and, for requests a cross-site form could send, the synchronizer token.
 * The component builds it from its options.
 *
 * @example
 * const middleware = createCsrfMiddleware(csrfOptions.parse({}), logger)
 */
export function createCsrfMiddleware(settings: CsrfSettings, logger: Logger): Middleware {
  const field = settings.fieldName
  const refuse = (ctx: Context, error: HttpErrorFactory, message: string, detail: Record<string, unknown> = {}) => {
    logger.warn({ method: ctx.request.method, path: ctx.path, code: error.code, ...detail }, 'CSRF check refused a request')
    return error(message)
  }

  return async function csrfMiddleware(ctx, next) {
    if (!hasSession(ctx)) {
      throw CsrfNoSession(
        "middleware/csrf keeps its token in the session, but no session middleware ran before it. List sessionMiddleware({ secrets }) before csrf() in components.middleware.",
      )
    }
    const s = await session(ctx)
    exposeToTemplates(ctx, s, field)
    const method = ctx.request.method
    if (SAFE_METHODS.has(method) || settings.exemptPaths.some((prefix) => ctx.path.startsWith(prefix))) return next()

    const own = originOf(ctx.request.url)
    const claimed = claimedOrigin(ctx.request)
    if (claimed !== undefined && claimed !== own && !settings.trustedOrigins.includes(claimed)) {
      throw refuse(
        ctx,
        CsrfOriginMismatch,
        `This ${method} request came from ${claimed}, not from this site (${own}), so it was refused. ` +
          'If that origin is yours, add it to the csrf option trustedOrigins; behind a proxy, turn on the node server option trustProxy so the app sees its public address.',
        { origin: claimed, expected: own },
      )
    }

    const mime = (ctx.request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
    if (settings.tokenRequired === 'forms' && !SIMPLE_TYPES.has(mime)) return next()

    const token = ctx.request.headers.get(settings.headerName) ?? (await formToken(ctx, field, settings.maxScanBytes))
    if (!token) {
      throw refuse(
        ctx,
        CsrfTokenMissing,
        `This form was refused because it carries no security token. Reload the page and send the form again. ` +
          `(For developers: put csrfField() inside the form, before any file input, or send the token in the ${settings.headerName} header.)`,
      )
    }
    const secret = s.get(CSRF_SESSION_KEY)
    if (typeof secret !== 'string' || !tokenMatches(token, secret)) {
      throw refuse(
        ctx,
        CsrfTokenInvalid,
        'This form was refused because its security token has expired or belongs to another session. Reload the page and send the form again.',
      )
    }
    return next()
  }
}

/**
 * The origin of a request URL. Parsing the whole URL for it cost about 9 µs per
 * form post in a profile, and a site is reached under a handful of origins, so
 * the last few are remembered by the URL's text up to its path (which holds
 * everything the origin is made of). The Host header is the client's to
 * choose, so the memory is bounded.
 */
function originOf(url: string): string {
  const authority = url.indexOf('//')
  const path = authority < 0 ? -1 : url.indexOf('/', authority + 2)
  const key = path < 0 ? url : url.slice(0, path)
  let origin = knownOrigins.get(key)
  if (origin === undefined) {
    origin = new URL(url).origin
    if (knownOrigins.size >= 64) knownOrigins.clear()
    knownOrigins.set(key, origin)
  }
  return origin
}
const knownOrigins = new Map<string, string>()

/** The Origin header, else the origin of the Referer; `undefined` when neither was sent. */
function claimedOrigin(request: Request): string | undefined {
  const origin = request.headers.get('origin')
  if (origin !== null) return origin
  const referer = request.headers.get('referer')
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  } catch {
    return 'an unreadable Referer'
  }
}

/**
 * The token as templates see it: prints as the token, but is made only when
 * printed, so a rendered page without a form puts nothing in the session (and
 * sends no session cookie to an anonymous visitor).
 *
 * @example
 * // eta: <meta name="csrf-token" content="<%= csrfToken %>">
 * String(new LazyCsrfToken(() => 'token')) // 'token'
 */
export class LazyCsrfToken {
  readonly #make: () => string
  #token: string | undefined
  constructor(make: () => string) {
    this.#make = make
  }
  get value(): string {
    this.#token ??= this.#make()
    return this.#token
  }
  toString(): string {
    return this.value
  }
  toJSON(): string {
    return this.value
  }
  [Symbol.toPrimitive](): string {
    return this.value
  }
}

/** `csrfToken` and `csrfField()` into the globals `ctx.render` hands every template. */
function exposeToTemplates(ctx: Context, s: Session, field: string): void {
  const existing = ctx.state.templateGlobals
  const globals = (typeof existing === 'object' && existing !== null ? existing : (ctx.state.templateGlobals = {})) as Record<string, unknown>
  const token = new LazyCsrfToken(() => tokenFor(s))
  globals.csrfToken = token
  globals.csrfField = (): SafeHtml => safeHtml(`<input type="hidden" name="${escapeHtml(field)}" value="${escapeHtml(token.value)}">`)
}
