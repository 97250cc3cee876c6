import type { z } from 'zod'
import { editHeaders, type Middleware } from '../../../core/index.js'
import type { corsOptions, OriginCheck } from './options.js'

type Resolved = z.output<typeof corsOptions>

/*
 * Why not a package: the common CORS packages (cors, @fastify/cors, koa's) are
 * shaped for Express/connect or one framework's hooks (req, res, next), not for
 * a fetch Response; and the protocol is small. This follows the Fetch
 * standard's CORS protocol (https://fetch.spec.whatwg.org/#http-cors-protocol):
 *
 * - A preflight is an OPTIONS request with `Origin` and
 *   `Access-Control-Request-Method`. It is answered here with 204 and never
 *   reaches the router. For an origin not allowed, the answer carries no CORS
 *   headers, so the browser stops.
 * - An actual request from an allowed origin gets `Access-Control-Allow-Origin`
 *   (the origin itself, or `*`), and with credentials
 *   `Access-Control-Allow-Credentials: true`; `*` with credentials is refused
 *   at startup because browsers reject it.
 * - Unless the answer is `*` for everyone, it depends on `Origin`, so every
 *   response says `Vary: Origin` (also those without CORS headers: a cache must
 *   not hand one origin's answer to another).
 */

/**
 * The CORS middleware.
 *
 * @example
 * const mw = createCors(corsOptions.parse({ origin: ['https://app.example.com'], credentials: true }))
 */
export function createCors(options: Resolved): Middleware {
  const { credentials, exposedHeaders, maxAge } = options
  const anyOrigin = options.origin === '*'
  const allowed = originCheck(options.origin)
  const allowMethods = options.methods.join(', ')
  const allowHeaders = options.allowedHeaders.join(', ')
  const expose = exposedHeaders.join(', ')

  const grant = (headers: Headers, origin: string) => {
    headers.set('access-control-allow-origin', anyOrigin ? '*' : origin)
    if (credentials) headers.set('access-control-allow-credentials', 'true')
  }
  const vary = (headers: Headers) => {
    if (!anyOrigin) appendVary(headers, 'Origin')
  }

  return async function cors(ctx, next) {
    const request = ctx.request
    const origin = request.headers.get('origin')
    const preflight = request.method === 'OPTIONS' && origin !== null && request.headers.has('access-control-request-method')
    // A list or '*' answers at once: no await (a microtask per request) unless the check is asynchronous.
    const verdict = origin === null ? false : allowed(origin, request)
    const ok = origin !== null && (typeof verdict === 'boolean' ? verdict : await verdict)
    if (preflight) {
      const headers = new Headers()
      vary(headers)
      if (ok) {
        grant(headers, origin)
        headers.set('access-control-allow-methods', allowMethods)
        if (allowHeaders) headers.set('access-control-allow-headers', allowHeaders)
        if (maxAge !== false) headers.set('access-control-max-age', String(maxAge))
      }
      return new Response(null, { status: 204, headers })
    }
    const response = await next()
    return editHeaders(response, (headers) => {
      vary(headers)
      if (!ok) return
      grant(headers, origin)
      if (expose) headers.set('access-control-expose-headers', expose)
    })
  }
}

function originCheck(origin: Resolved['origin']): OriginCheck {
  if (origin === '*') return () => true
  if (typeof origin === 'function') return origin
  const list = new Set(typeof origin === 'string' ? [origin] : origin)
  return (o) => list.has(o)
}

/** Add a field to `Vary` once, keeping what is there (compression adds Accept-Encoding). */
function appendVary(headers: Headers, field: string): void {
  const current = headers.get('vary')
  if (!current) return headers.set('vary', field)
  const fields = current.split(',').map((f) => f.trim().toLowerCase())
  if (!fields.includes('*') && !fields.includes(field.toLowerCase())) headers.set('vary', `${current}, ${field}`)
}
