import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, HttpError, Logger } from 'dovetailjs'
import { runServerConformance } from 'dovetailjs/testing/conformance'
import { recordingLogger } from '../support/recording-logger.js'

/**
 * One Dovetail app, served twice: by its own node server and by
 * @hono/node-server with `serve({ fetch: app.fetch })` and nothing else.
 * Every request must get the same answer from both.
 */
let app: App
let dovetailUrl: string
let honoUrl: string
let closeHono: () => Promise<void>

beforeAll(async () => {
  app = await createApp({
    environment: 'production',
    register: (c) => c.value(Logger, recordingLogger()),
    routes(r) {
      r.get('/', (ctx) => ctx.text('home'))
      r.get('/json', (ctx) => ctx.json({ ok: true, list: [1, 2] }))
      r.get('/hello/:name', (ctx) => ctx.text(`hello ${ctx.params.name}`), { name: 'hello' })
      r.get('/link', (ctx) => ctx.text(ctx.url('hello', { name: 'a b' })))
      r.post('/echo', async (ctx) => ctx.json({ type: ctx.request.headers.get('content-type'), body: await ctx.request.text(), query: ctx.query }))
      r.get('/cookies', () => {
        const headers = new Headers({ 'content-type': 'text/plain' })
        headers.append('set-cookie', 'a=1; Path=/')
        headers.append('set-cookie', 'b=2; HttpOnly')
        return new Response('cookies', { headers })
      })
      r.get('/stream', () => {
        const parts = ['one ', 'two ', 'three']
        const body = new ReadableStream({ pull: (c) => (parts.length ? c.enqueue(new TextEncoder().encode(parts.shift())) : c.close()) })
        // With no content-type, @hono/node-server adds text/plain and Dovetail's server adds nothing: say it.
        return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
      })
      r.get('/redirect', (ctx) => ctx.redirect('/json', 303))
      r.get('/teapot', () => {
        throw new HttpError(418, 'short and stout')
      })
      r.get('/boom', () => {
        throw new Error('hidden')
      })
      r.mount('/legacy', (request) => new Response(`legacy saw ${new URL(request.url).pathname}`, { headers: { 'content-type': 'text/plain; charset=utf-8' } }))
    },
  })
  dovetailUrl = (await app.listen({ port: 0 })).url
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  honoUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  closeHono = () => new Promise((resolve) => server.close(() => resolve()))
})

afterAll(async () => {
  await closeHono?.()
  await app?.close()
})

const compared = ['content-type', 'location', 'allow', 'set-cookie'] as const

async function answer(base: string, path: string, init?: RequestInit) {
  const res = await fetch(`${base}${path}`, { redirect: 'manual', ...init })
  const headers: Record<string, string | null> = {}
  for (const name of compared) headers[name] = name === 'set-cookie' ? res.headers.getSetCookie().join(' | ') || null : res.headers.get(name)
  return { status: res.status, headers, body: await res.text() }
}

describe('a Dovetail app under @hono/node-server, with no glue', () => {
  it.each([
    ['GET', '/'],
    ['GET', '/json'],
    ['GET', '/hello/a%20b'],
    ['GET', '/link'],
    ['GET', '/cookies'],
    ['GET', '/stream'],
    ['GET', '/redirect'],
    ['GET', '/teapot'],
    ['GET', '/boom'],
    ['GET', '/nowhere'],
    ['DELETE', '/json'],
    ['HEAD', '/json'],
    ['GET', '/legacy/some/page'],
  ])('%s %s answers the same as under Dovetail\'s node server', async (method, path) => {
    const [ours, theirs] = await Promise.all([answer(dovetailUrl, path, { method }), answer(honoUrl, path, { method })])
    expect(theirs).toEqual(ours)
    if (path !== '/boom') expect(ours.status).toBeLessThan(500)
  })

  it('passes POST bodies and query strings the same way', async () => {
    const init = { method: 'POST', body: JSON.stringify({ x: 'y' }), headers: { 'content-type': 'application/json' } }
    const [ours, theirs] = await Promise.all([answer(dovetailUrl, '/echo?a=1', init), answer(honoUrl, '/echo?a=1', init)])
    expect(theirs).toEqual(ours)
    expect(JSON.parse(ours.body)).toEqual({ type: 'application/json', body: '{"x":"y"}', query: { a: '1' } })
  })

  it('gives the expected answers, not just equal ones', async () => {
    expect(await answer(honoUrl, '/hello/a%20b')).toMatchObject({ status: 200, body: 'hello a b' })
    expect(await answer(honoUrl, '/cookies')).toMatchObject({ headers: { 'set-cookie': 'a=1; Path=/ | b=2; HttpOnly' } })
    expect(await answer(honoUrl, '/json', { method: 'DELETE' })).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD' } })
    expect(await answer(honoUrl, '/stream')).toMatchObject({ status: 200, body: 'one two three' })
    expect(await answer(honoUrl, '/legacy/some/page')).toMatchObject({ body: 'legacy saw /some/page' })
  })
})

// A foreign fetch host, with the server kit: what a Dovetail app may rely on under it.
runServerConformance({
  name: '@hono/node-server',
  start: async (handler) => {
    const server = serve({ fetch: handler, port: 0, hostname: '127.0.0.1' })
    await new Promise<void>((resolve) => server.once('listening', () => resolve()))
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      // node:http's close(): stops accepting, waits for requests in flight, drops idle keep-alive connections.
      close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
    }
  },
  skip: {
    'client-address':
      '@hono/node-server passes the socket to Hono as env.incoming, the second argument of fetch, and nothing on the Request: clientAddress(request) has nothing to read',
  },
})
