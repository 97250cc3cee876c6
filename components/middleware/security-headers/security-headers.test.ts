import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, type ComponentSpec } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { securityHeaders, type SecurityHeadersOptions } from 'dovetailjs/components/middleware/security-headers'

async function appWith(options?: SecurityHeadersOptions | 'by-name', origin = 'http://localhost') {
  const spec: ComponentSpec = options === 'by-name' ? 'security-headers' : securityHeaders(options)
  const app = await createApp({
    components: { middleware: [spec] },
    routes(r) {
      r.get('/', (ctx) => ctx.html('<h1>home</h1>'))
      r.get('/embeddable', (ctx) => ctx.html('<p>widget</p>', { headers: { 'content-security-policy': "frame-ancestors https://partner.example" } }))
      r.get('/away', () => Response.redirect('http://localhost/', 302))
    },
  })
  return createTestClient(app, origin)
}

const strictCsp =
  "default-src 'self'; base-uri 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; style-src 'self'"

describe('middleware/security-headers', () => {
  it('sends strict defaults, by built-in name', async () => {
    const res = await (await appWith('by-name')).get('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-security-policy')).toBe(strictCsp)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin')
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin')
    // plain http: no HSTS (browsers ignore it there, and it would pin a dev host)
    expect(res.headers.has('strict-transport-security')).toBe(false)
  })

  it('sends HSTS on https requests only, as configured', async () => {
    expect((await (await appWith({}, 'https://localhost')).get('/')).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
    const preload = await appWith({ strictTransportSecurity: { maxAge: 63_072_000, preload: true } }, 'https://localhost')
    expect((await preload.get('/')).headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload')
    const off = await appWith({ strictTransportSecurity: false }, 'https://localhost')
    expect((await off.get('/')).headers.has('strict-transport-security')).toBe(false)
  })

  it('merges CSP directives over the defaults, drops those set to false, and can start from nothing', async () => {
    const merged = await appWith({
      contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'https://images.example'], 'font-src': false, 'upgrade-insecure-requests': true } },
    })
    const csp = (await merged.get('/')).headers.get('content-security-policy')!
    expect(csp).toContain("img-src 'self' https://images.example")
    expect(csp).not.toContain('font-src')
    expect(csp).toContain("default-src 'self'")
    expect(csp.endsWith('; upgrade-insecure-requests')).toBe(true)

    const api = await appWith({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': "'none'", 'frame-ancestors': "'none'" } } })
    expect((await api.get('/')).headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")

    const reportOnly = await appWith({ contentSecurityPolicy: { reportOnly: true } })
    const res = await reportOnly.get('/')
    expect(res.headers.get('content-security-policy-report-only')).toBe(strictCsp)
    expect(res.headers.has('content-security-policy')).toBe(false)
  })

  it('turns each header off with false', async () => {
    const none = await appWith({
      contentSecurityPolicy: false,
      xContentTypeOptions: false,
      xFrameOptions: false,
      referrerPolicy: false,
      crossOriginOpenerPolicy: false,
      crossOriginResourcePolicy: false,
      strictTransportSecurity: false,
    }, 'https://localhost')
    const res = await none.get('/')
    for (const name of ['content-security-policy', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy', 'strict-transport-security']) {
      expect(res.headers.has(name), name).toBe(false)
    }
    const some = await appWith({ xFrameOptions: 'SAMEORIGIN', referrerPolicy: 'no-referrer' })
    const res2 = await some.get('/')
    expect(res2.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    expect(res2.headers.get('referrer-policy')).toBe('no-referrer')
  })

  it('leaves a header the route set itself, and decorates error and immutable responses', async () => {
    const client = await appWith()
    const embeddable = await client.get('/embeddable')
    expect(embeddable.headers.get('content-security-policy')).toBe('frame-ancestors https://partner.example')
    expect(embeddable.headers.get('x-content-type-options')).toBe('nosniff')
    const away = await client.get('/away')
    expect(away.status).toBe(302)
    expect(away.headers.get('x-frame-options')).toBe('DENY')
  })

  it('refuses CSP mistakes at startup, naming the option and the fix', async () => {
    const fail = async (options: SecurityHeadersOptions) => {
      const error = await createApp({ components: { middleware: [securityHeaders(options)] } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
      return (error as Error).message
    }
    expect(await fail({ contentSecurityPolicy: { directives: { 'script-src': 'self' } } })).toContain(
      `option 'contentSecurityPolicy.directives.script-src': directive 'script-src' has self without quotes, which is a host name; write "'self'"`,
    )
    expect(await fail({ contentSecurityPolicy: { directives: { imgSrc: "'self'" } } })).toContain("is not a CSP directive name; write them as in the header")
    expect(await fail({ contentSecurityPolicy: { directives: { 'img-src': "'self'; script-src *" } } })).toContain('separator')
    expect(await fail({ strictTransportSecurity: { maxAge: 300, preload: true } })).toContain("option 'strictTransportSecurity'")
    expect(await fail({ xFrameOptions: 'ALLOW-FROM x' as never })).toContain("option 'xFrameOptions'")
  })
})
