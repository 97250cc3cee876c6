import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, Logger, type App, type Middleware } from 'dovetailjs'
import { recordingLogger } from '../../test/support/recording-logger.js'

/**
 * The pattern the docs teach, `const res = await next(); res.headers.set(...)`,
 * on every kind of response a handler or a mounted app can give: the pipeline
 * hands middleware writable headers, so none of these is a 500.
 */
describe('headers after next() are writable', () => {
  let upstream: Server
  let upstreamUrl: string
  let app: App
  const log = recordingLogger()

  const stamp: Middleware = async function stamp(_ctx, next) {
    const res = await next()
    res.headers.set('x-stamp', 'outer')
    res.headers.append('vary', 'Origin')
    res.headers.delete('x-upstream-secret')
    return res
  }
  /** Inside `stamp`: returns a fetched response itself, whose headers are immutable. */
  const proxy: Middleware = async function proxy(ctx, next) {
    if (ctx.path === '/proxied') return fetch(`${upstreamUrl}/page`)
    return next()
  }

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      if (req.url === '/moved') {
        res.writeHead(302, { location: '/page' }).end()
        return
      }
      if (req.url === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.write('first ')
        setTimeout(() => res.end('last'), 20)
        return
      }
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream-secret': 's3cret' }).end(`upstream ${req.url}`)
    })
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
    // A foreign fetch app: forwards every request to the upstream server with fetch().
    const foreign = (request: Request) => fetch(`${upstreamUrl}${new URL(request.url).pathname}`, { redirect: 'manual' })
    app = await createApp({
      environment: 'test',
      middleware: [stamp, proxy],
      register: (c) => void c.value(Logger, log),
      routes(r) {
        r.get('/redirect', () => Response.redirect('http://localhost/elsewhere', 307))
        r.get('/helper', (ctx) => ctx.redirect('/elsewhere', 303))
        r.get('/network-error', () => Response.error())
        r.mount('/foreign', foreign)
      },
    })
  })

  afterAll(async () => {
    await app?.close()
    await new Promise((resolve) => upstream?.close(resolve))
  })

  const get = (path: string, method = 'GET') => app.fetch(new Request(`http://localhost${path}`, { method }))

  it('on Response.redirect(): the redirect keeps its status and location', async () => {
    const res = await get('/redirect')
    expect(res.status).toBe(307)
    expect(res.headers.get('location')).toBe('http://localhost/elsewhere')
    expect(res.headers.get('x-stamp')).toBe('outer')
    expect(res.headers.get('vary')).toBe('Origin')
  })

  it('on the redirect helper ctx.redirect()', async () => {
    const res = await get('/helper')
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/elsewhere')
    expect(res.headers.get('x-stamp')).toBe('outer')
  })

  it('on a mounted foreign app answering with a real fetch() response', async () => {
    const res = await get('/foreign/page')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('upstream /page')
    expect(res.headers.get('x-stamp')).toBe('outer')
    expect(res.headers.get('x-upstream-secret')).toBeNull()
  })

  it('on a mounted foreign app passing on an upstream redirect', async () => {
    const res = await get('/foreign/moved')
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe('/page')
    expect(res.headers.get('x-stamp')).toBe('outer')
  })

  it('on a fetched response returned by an inner middleware', async () => {
    const res = await get('/proxied')
    expect(await res.text()).toBe('upstream /page')
    expect(res.headers.get('x-stamp')).toBe('outer')
  })

  it('keeps a fetched body streaming: the first part arrives before the upstream ends it', async () => {
    const res = await get('/foreign/stream')
    expect(res.headers.get('x-stamp')).toBe('outer')
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('first ')
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value)
    expect(rest).toBe('last')
  })

  it('on HEAD of a mounted foreign app: headers set, no body', async () => {
    const res = await get('/foreign/page', 'HEAD')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-stamp')).toBe('outer')
    expect(await res.text()).toBe('')
  })

  it('a network error (Response.error()) is a 500 naming the problem, not a crash in the middleware', async () => {
    const res = await app.fetch(new Request('http://localhost/network-error', { headers: { accept: 'application/json' } }))
    expect(res.status).toBe(500)
    expect(res.headers.get('x-stamp')).toBeNull()
    const logged = log.errors.map(([fields]) => (fields as { err?: { code?: string; message: string } }).err)
    expect(logged).toContainEqual(expect.objectContaining({ code: 'DOVETAIL_ERR_HANDLER_NO_RESPONSE', message: expect.stringContaining('Response.error()') }))
  })
})
