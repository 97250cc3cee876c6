import type { z } from 'zod'
import { editHeaders, type Middleware } from '../../../core/index.js'
import { buildCsp } from './csp.js'
import type { securityHeadersOptions } from './options.js'

type Resolved = z.output<typeof securityHeadersOptions>

/**
 * The header lines the options ask for, computed once: those for every
 * response, and those for https requests only (HSTS).
 *
 * @example
 * securityHeaderLines(securityHeadersOptions.parse({})).always // [['content-security-policy', "default-src 'self'; …"], …]
 */
export function securityHeaderLines(o: Resolved): { always: Array<[string, string]>; httpsOnly: Array<[string, string]> } {
  const always: Array<[string, string]> = []
  if (o.contentSecurityPolicy) {
    const { directives, useDefaults, reportOnly } = o.contentSecurityPolicy
    const value = buildCsp(directives, useDefaults)
    if (value) always.push([reportOnly ? 'content-security-policy-report-only' : 'content-security-policy', value])
  }
  if (o.xContentTypeOptions) always.push(['x-content-type-options', 'nosniff'])
  if (o.xFrameOptions) always.push(['x-frame-options', o.xFrameOptions])
  if (o.referrerPolicy) always.push(['referrer-policy', o.referrerPolicy])
  if (o.crossOriginOpenerPolicy) always.push(['cross-origin-opener-policy', o.crossOriginOpenerPolicy])
  if (o.crossOriginResourcePolicy) always.push(['cross-origin-resource-policy', o.crossOriginResourcePolicy])
  const httpsOnly: Array<[string, string]> = []
  const hsts = o.strictTransportSecurity
  if (hsts) {
    const value = [`max-age=${hsts.maxAge}`, hsts.includeSubDomains && 'includeSubDomains', hsts.preload && 'preload'].filter(Boolean).join('; ')
    httpsOnly.push(['strict-transport-security', value])
  }
  return { always, httpsOnly }
}

/**
 * Adds the security headers to every response. A header the response already
 * has is left alone, so a route (or the error pages) can set its own policy.
 *
 * @example
 * const mw = createSecurityHeaders(securityHeadersOptions.parse({ xFrameOptions: 'SAMEORIGIN' }))
 */
export function createSecurityHeaders(options: Resolved): Middleware {
  const { always, httpsOnly } = securityHeaderLines(options)
  const apply = (lines: Array<[string, string]>) => (headers: Headers) => {
    for (const [name, value] of lines) if (!headers.has(name)) headers.set(name, value)
  }
  const plain = apply(always)
  const secure = apply([...always, ...httpsOnly])
  return async function securityHeaders(ctx, next) {
    const response = await next()
    // The scheme the client used: the server adapter puts it in the URL (behind a proxy, from X-Forwarded-Proto when trusted).
    return editHeaders(response, ctx.request.url.startsWith('https:') ? secure : plain)
  }
}
