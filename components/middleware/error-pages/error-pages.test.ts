import { describe, expect, it } from 'vitest'
import { createApp, defineComponent, ErrorRenderer, type ComponentSpec } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { errorPages, type ErrorPagesOptions } from 'dovetailjs/components/middleware/error-pages'
import { defineRoutes } from '../../../docs/examples/error-pages/routes.js'

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }
const secrets = { cookie: 'sid=s3cr3t-session; theme=dark', authorization: 'Bearer t0ken-value', 'x-api-key': 'k3y-value' }

/** A middleware component that throws, to check the page names it. */
const brokenAuth = defineComponent({
  name: 'acme/broken-auth',
  slot: 'middleware',
  contract: '^1.0',
  middleware: () => async (ctx, next) => {
    if (ctx.path === '/auth-broken') throw new TypeError("Cannot read properties of undefined (reading 'user')")
    return next()
  },
})

async function appFor(environment: 'development' | 'production', options?: ErrorPagesOptions, middleware?: ComponentSpec[]) {
  const app = await createApp({
    environment,
    components: {
      logger: pinoLogger({ level: 'silent' }),
      middleware: middleware ?? ['request-log', errorPages(options), brokenAuth],
    },
    routes: defineRoutes,
  })
  return createTestClient(app)
}

describe('middleware/error-pages in development', () => {
  it('shows a debug page: the error, the app frames with escaped source, and the request with credentials redacted', async () => {
    const client = await appFor('development')
    const res = await client.get('/pay?step=2', { headers: { ...browser, ...secrets } })
    expect(res.status).toBe(500)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+';/)
    const html = await res.text()
    // the error, escaped
    expect(html).toContain('Error: card declined for 42 &lt;EUR&gt;')
    expect(html).not.toContain('<EUR>')
    // the frame, with the source line that threw and the lines around it
    expect(html).toMatch(/chargeCard<\/span> — [^<]*docs\/examples\/error-pages\/routes\.ts:6:\d+/)
    expect(html).toContain('<span class="hit"><i>6</i>  throw new Error(reason) // FIXTURE-THROW-LINE</span>')
    expect(html).toContain('<i>5</i>  const reason = `card declined for ${amount} &lt;EUR&gt;`')
    expect(html).toContain("r.get(&#39;/pay&#39;, () =&gt; chargeCard(42))")
    // Dovetail's own frames (pipeline, wrappers) are folded away without source
    expect(html).toContain('in Dovetail, libraries or node</summary>')
    expect(html).toMatch(/core\/pipeline\/compose\.ts:\d+:\d+/)
    expect(html).not.toContain('return run(i + 1)')
    // the request
    expect(html).toContain('<td>method</td><td>GET</td>')
    expect(html).toContain('<td>url</td><td>http://localhost/pay?step=2</td>')
    expect(html).toContain('<td>cookie</td><td>sid=[redacted]; theme=[redacted]</td>')
    expect(html).toContain('<td>authorization</td><td>[redacted]</td>')
    for (const secret of ['s3cr3t-session', 't0ken-value', 'k3y-value']) expect(html).not.toContain(secret)
    // the request id from request-log, also in the header
    const id = res.headers.get('x-request-id')!
    expect(html).toContain(`request id ${id}`)
  })

  it('names the middleware component that threw', async () => {
    const res = await (await appFor('development')).get('/auth-broken', { headers: browser })
    const html = await res.text()
    expect(html).toContain("TypeError: Cannot read properties of undefined (reading &#39;user&#39;)")
    expect(html).toContain('thrown in the middleware component <b>acme/broken-auth</b>')
  })

  it('shows a DovetailError code and its cause chain', async () => {
    const html = await (await (await appFor('development')).get('/wrapped', { headers: browser })).text()
    expect(html).toContain('code <b>DOVETAIL_ERR_COMPONENT_START</b>')
    expect(html).toContain('Caused by: Error: card declined for 7 &lt;EUR&gt;')
    expect(html).toContain('FIXTURE-THROW-LINE')
  })

  it('gives JSON clients the debug details as JSON', async () => {
    const res = await (await appFor('development')).get('/auth-broken', { headers: { accept: 'application/json' } })
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const body = (await res.json()) as { error: Record<string, any> }
    expect(body.error).toMatchObject({ status: 500, code: 'DOVETAIL_ERR_HTTP_INTERNAL', message: 'Internal Server Error', requestId: res.headers.get('x-request-id') })
    expect(body.error.debug).toMatchObject({ name: 'TypeError', component: 'acme/broken-auth' })
    expect(body.error.debug.stack).toContain('error-pages.test.ts')
  })

  it('keeps 4xx pages plain even in development', async () => {
    const html = await (await (await appFor('development')).get('/admin', { headers: browser })).text()
    expect(html).toContain('Admins only')
    expect(html).not.toContain('Traceback')
  })
})

describe('middleware/error-pages in production', () => {
  it('shows a friendly page with the request id, and never the stack, the message or the source', async () => {
    const client = await appFor('production')
    for (const path of ['/pay', '/auth-broken', '/wrapped', '/unavailable']) {
      const res = await client.get(path, { headers: { ...browser, ...secrets } })
      expect(res.status, path).toBeGreaterThanOrEqual(500)
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/)
      const html = await res.text()
      expect(html).toContain('Something went wrong')
      expect(html).toContain(`please quote the request id <code>${res.headers.get('x-request-id')}</code>`)
      for (const leak of ['card declined', 'FIXTURE-THROW-LINE', 'routes.ts', 'error-pages.test.ts', 'chargeCard', 'Traceback', '    at ', 'Cannot read', 'database is down', 'DOVETAIL_ERR_COMPONENT_START', 's3cr3t']) {
        expect(html, `${path} leaks ${leak}`).not.toContain(leak)
      }
    }
  })

  it('answers JSON clients with status, code, message and request id only', async () => {
    const client = await appFor('production')
    const res = await client.get('/pay', { headers: { accept: 'application/json', 'x-request-id': 'ignored-untrusted' } })
    const body = (await res.json()) as { error: Record<string, unknown> }
    expect(body).toEqual({ error: { status: 500, code: 'DOVETAIL_ERR_HTTP_INTERNAL', message: 'Internal Server Error', requestId: res.headers.get('x-request-id') } })
    expect(JSON.stringify(body)).not.toContain('stack')
  })

  it('renders 404 and 405 the same way, keeping the Allow header', async () => {
    const client = await appFor('production')
    const notFound = await client.get('/nope', { headers: browser })
    expect(notFound.status).toBe(404)
    expect(await notFound.text()).toContain('<h1>Page not found</h1>')
    const json404 = await client.get('/nope')
    expect(await json404.json()).toMatchObject({ error: { status: 404, code: 'DOVETAIL_ERR_HTTP_NOT_FOUND', message: 'Not Found' } })
    const notAllowed = await client.get('/items', { headers: browser })
    expect(notAllowed.status).toBe(405)
    expect(notAllowed.headers.get('allow')).toBe('POST')
    expect(await notAllowed.text()).toContain('<h1>Not allowed here</h1>')
    const forbidden = await client.get('/admin', { headers: browser })
    expect(await forbidden.text()).toContain('<p>Admins only</p>')
  })

  it('is the app error renderer too: ctx.notFound() and errors thrown outside it get the same page and request id', async () => {
    const client = await appFor('production')
    const gone = await client.get('/gone', { headers: browser })
    expect(gone.status).toBe(404)
    expect(await gone.text()).toContain(`<code>${gone.headers.get('x-request-id')}</code>`)

    // brokenAuth outermost: its error never passes error-pages' middleware, so the core renders it with the registered renderer.
    const outside = await appFor('production', {}, [brokenAuth, 'request-log', 'error-pages'])
    const res = await outside.get('/auth-broken', { headers: { ...browser, 'x-request-id': 'edge-42' } })
    expect(res.status).toBe(500)
    const html = await res.text()
    expect(html).toContain('Something went wrong')
    expect(html).toContain('<code>edge-42</code>')
    expect(html).not.toContain('Cannot read')
  })

  it("format 'json' answers JSON even to browsers; debug: true forces the debug page", async () => {
    const json = await appFor('production', { format: 'json' })
    const res = await json.get('/nope', { headers: browser })
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    const forced = await appFor('production', { debug: true })
    expect(await (await forced.get('/pay', { headers: browser })).text()).toContain('FIXTURE-THROW-LINE')
    const off = await appFor('development', { debug: false })
    expect(await (await off.get('/pay', { headers: browser })).text()).not.toContain('FIXTURE-THROW-LINE')
  })
})

describe('middleware/error-pages at startup', () => {
  it('refuses a second ErrorRenderer, naming both registrations', async () => {
    const error = await createApp({
      components: { middleware: ['error-pages'] },
      register(c) {
        c.value(ErrorRenderer, (d) => new Response('mine', { status: d.status }))
      },
    }).catch((e: unknown) => e)
    expect((error as Error).message).toContain("ErrorRenderer is registered twice: by component 'middleware/error-pages' and by the app config")
  })

  it('refuses contextLines out of range, naming the option', async () => {
    const error = await createApp({ components: { middleware: [errorPages({ contextLines: 500 })] } }).catch((e: unknown) => e)
    expect((error as Error).message).toContain("option 'contextLines'")
  })
})
