import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, type ComponentSpec } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { cors, type CorsOptions } from 'dovetailjs/components/middleware/cors'

const app = 'https://app.example.com'
const evil = 'https://evil.example.net'

async function clientWith(options?: CorsOptions | 'by-name', more: ComponentSpec[] = []) {
  let routerHits = 0
  const spec: ComponentSpec = options === 'by-name' ? 'cors' : cors(options)
  const created = await createApp({
    environment: 'production',
    components: { logger: pinoLogger({ level: 'silent' }), middleware: [spec, ...more] },
    routes(r) {
      r.get('/items', (ctx) => {
        routerHits++
        return ctx.json([{ id: 1 }], { headers: { 'x-request-id': 'r-1', vary: 'Accept-Encoding' } })
      })
      r.options('/items', (ctx) => {
        routerHits++
        return ctx.text('the router answered', { headers: { allow: 'GET, OPTIONS' } })
      })
      r.post('/items', (ctx) => ctx.json({ created: true }, { status: 201 }))
    },
  })
  const client = createTestClient(created)
  const preflight = (origin: string, method = 'PUT', headers = 'content-type') =>
    client.request('OPTIONS', '/items', { headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } })
  return { client, preflight, hits: () => routerHits }
}

describe('middleware/cors', () => {
  it('allows no cross-origin access until told, by built-in name', async () => {
    const { client, preflight, hits } = await clientWith('by-name')
    const res = await client.get('/items', { headers: { origin: app } })
    expect(res.status).toBe(200)
    expect(res.headers.has('access-control-allow-origin')).toBe(false)
    expect(res.headers.get('vary')).toBe('Accept-Encoding, Origin')
    const pre = await preflight(app)
    expect(pre.status).toBe(204)
    expect([...pre.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([])
    expect(hits()).toBe(1)
  })

  it('grants listed origins, with Vary: Origin and exposed headers, and nothing to others', async () => {
    const { client } = await clientWith({ origin: [app, 'http://localhost:5173'], exposedHeaders: ['X-Request-Id'] })
    const ok = await client.get('/items', { headers: { origin: app } })
    expect(ok.headers.get('access-control-allow-origin')).toBe(app)
    expect(ok.headers.get('access-control-expose-headers')).toBe('x-request-id')
    expect(ok.headers.has('access-control-allow-credentials')).toBe(false)
    expect(ok.headers.get('vary')).toBe('Accept-Encoding, Origin')

    const denied = await client.get('/items', { headers: { origin: evil } })
    expect(denied.status).toBe(200) // the server answers; the browser withholds it from the script
    expect(denied.headers.has('access-control-allow-origin')).toBe(false)
    expect(denied.headers.has('access-control-expose-headers')).toBe(false)
    expect(denied.headers.get('vary')).toContain('Origin')

    // same-origin and non-browser requests carry no Origin: no CORS headers, still Vary
    const plain = await client.get('/items')
    expect(plain.headers.has('access-control-allow-origin')).toBe(false)
    expect(plain.headers.get('vary')).toContain('Origin')
  })

  it('answers a preflight with 204 before the router', async () => {
    const { preflight, hits } = await clientWith({ origin: app, allowedHeaders: ['Content-Type', 'X-Api-Version'], maxAge: 3600 })
    const res = await preflight(app, 'PUT', 'content-type, x-api-version')
    expect(res.status).toBe(204)
    expect(await res.text()).toBe('')
    expect(res.headers.get('access-control-allow-origin')).toBe(app)
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE')
    expect(res.headers.get('access-control-allow-headers')).toBe('content-type, x-api-version')
    expect(res.headers.get('access-control-max-age')).toBe('3600')
    expect(res.headers.get('vary')).toBe('Origin')
    expect(hits()).toBe(0)

    const denied = await preflight(evil)
    expect(denied.status).toBe(204)
    expect(denied.headers.has('access-control-allow-origin')).toBe(false)
    expect(denied.headers.has('access-control-allow-methods')).toBe(false)
    expect(hits()).toBe(0)
  })

  it('leaves a plain OPTIONS request (no Access-Control-Request-Method) to the router', async () => {
    const { client, hits } = await clientWith({ origin: app })
    const res = await client.request('OPTIONS', '/items', { headers: { origin: app } })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('the router answered')
    expect(res.headers.get('access-control-allow-origin')).toBe(app)
    expect(hits()).toBe(1)
  })

  it("'*' allows any origin without Vary; credentials echo the origin", async () => {
    const any = await clientWith({ origin: '*', maxAge: false })
    const res = await any.client.get('/items', { headers: { origin: evil } })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('vary')).toBe('Accept-Encoding')
    const pre = await any.preflight(evil)
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    expect(pre.headers.has('access-control-max-age')).toBe(false)

    const withCookies = await clientWith({ origin: [app], credentials: true })
    const cred = await withCookies.client.get('/items', { headers: { origin: app } })
    expect(cred.headers.get('access-control-allow-origin')).toBe(app)
    expect(cred.headers.get('access-control-allow-credentials')).toBe('true')
    const credPre = await withCookies.preflight(app)
    expect(credPre.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('asks a function, which may be async', async () => {
    const seen: string[] = []
    const { client } = await clientWith({
      origin: async (origin) => {
        seen.push(origin)
        return new URL(origin).hostname.endsWith('.example.com')
      },
    })
    expect((await client.get('/items', { headers: { origin: 'https://eu.example.com' } })).headers.get('access-control-allow-origin')).toBe('https://eu.example.com')
    expect((await client.get('/items', { headers: { origin: evil } })).headers.has('access-control-allow-origin')).toBe(false)
    expect(seen).toEqual(['https://eu.example.com', evil])
  })

  it('puts CORS headers on error responses rendered inside it, so scripts can read the error', async () => {
    const { client } = await clientWith({ origin: [app] }, ['error-pages'])
    const res = await client.get('/nowhere', { headers: { origin: app } })
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe(app)
    expect(await res.json()).toMatchObject({ error: { status: 404 } })
  })

  it("refuses '*' with credentials, and malformed origins, at startup", async () => {
    const fail = async (options: CorsOptions) => {
      const error = await createApp({ components: { middleware: [cors(options)] } }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
      return (error as Error).message
    }
    expect(await fail({ origin: '*', credentials: true })).toContain("option 'origin': '*' cannot be combined with credentials: true")
    expect(await fail({ origin: ['https://App.example.com/'] })).toContain("option 'origin[0]': 'https://App.example.com/' is not an origin as browsers send it; write 'https://app.example.com'")
    expect(await fail({ origin: 'app.example.com' })).toContain("option 'origin': 'app.example.com' is not an origin")
    expect(await fail({ methods: ['GET POST'] })).toContain("option 'methods[0]'")
  })
})
