import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, Logger, readBodyBytes } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { recordingLogger } from '../../../test/support/recording-logger.js'
import { rawRequest } from '../../../test/support/raw-http.js'

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function serve(routes: DovetailConfig['routes'], components: DovetailConfig['components'] = {}) {
  app = await createApp({ environment: 'test', components, routes, register: (c) => c.value(Logger, recordingLogger()) })
  return app.listen({ port: 0 })
}

describe('server/node: the request a handler receives', () => {
  it('answers a handler that reads only route parameters', async () => {
    const { url } = await serve((r) => r.get('/users/:id', (ctx) => ctx.text(`user ${ctx.params.id}`)))
    expect(await (await fetch(`${url}/users/a%20b`)).text()).toBe('user a b')
  })

  it('behaves as a full Request: headers, json(), signal, instanceof', async () => {
    const { url } = await serve((r) =>
      r.post('/inspect', async (ctx) => {
        const req = ctx.request
        const body = await req.json()
        return ctx.json({
          isRequest: req instanceof Request,
          method: req.method,
          url: req.url,
          xa: req.headers.get('x-a'),
          repeated: req.headers.get('x-many'),
          body,
          signal: req.signal instanceof AbortSignal && !req.signal.aborted,
          bodyUsed: req.bodyUsed,
        })
      }),
    )
    const res = await fetch(`${url}/inspect?q=1`, {
      method: 'POST',
      headers: [['x-a', 'alpha'], ['x-many', 'one'], ['x-many', 'two'], ['content-type', 'application/json']],
      body: JSON.stringify({ hello: 'world' }),
    })
    expect(await res.json()).toEqual({
      isRequest: true,
      method: 'POST',
      url: `${url}/inspect?q=1`,
      xa: 'alpha',
      repeated: 'one, two',
      body: { hello: 'world' },
      signal: true,
      bodyUsed: true,
    })
  })

  it('reads the body through request.body, then reports it used to every other reader', async () => {
    const { url } = await serve((r) =>
      r.post('/stream', async (ctx) => {
        const req = ctx.request
        const before = req.bodyUsed
        const text = await new Response(req.body).text()
        const again = await req.text().then(
          () => 'read twice',
          (error: Error) => error.name,
        )
        return ctx.json({ before, text, after: req.bodyUsed, again, signal: req.signal instanceof AbortSignal })
      }),
    )
    const res = await fetch(`${url}/stream`, { method: 'POST', body: 'x'.repeat(100_000) })
    expect(await res.json()).toEqual({ before: false, text: 'x'.repeat(100_000), after: true, again: 'TypeError', signal: true })
  })

  it('hands a body parser the whole body without a stream (readBodyBytes), then reports it used to every other reader', async () => {
    const { url } = await serve((r) =>
      r.post('/collect', async (ctx) => {
        const req = ctx.request
        const pending = readBodyBytes(req, 1_000_000)
        const bytes = await pending
        const again = await req.text().then(
          () => 'read twice',
          (error: Error) => error.name,
        )
        return ctx.json({
          offered: pending !== undefined,
          text: new TextDecoder().decode(bytes),
          used: req.bodyUsed,
          streamUsed: req.body !== null && req.body.locked === false && (await req.body.getReader().read()).done,
          secondOffer: readBodyBytes(req, 1_000_000) === undefined,
          again,
        })
      }),
    )
    const res = await fetch(`${url}/collect`, { method: 'POST', body: 'y'.repeat(200_000) })
    expect(await res.json()).toEqual({ offered: true, text: 'y'.repeat(200_000), used: true, streamUsed: true, secondOffer: true, again: 'TypeError' })
  })

  it('refuses a body past the limit given to readBodyBytes, answers, and keeps the connection serving', async () => {
    const { url } = await serve((r) =>
      r.post('/small', async (ctx) => {
        const bytes = await readBodyBytes(ctx.request, 10)
        return ctx.text(bytes === undefined ? 'too large' : `got ${bytes.byteLength}`, { status: bytes === undefined ? 413 : 200 })
      }),
    )
    const large = await fetch(`${url}/small`, { method: 'POST', body: 'z'.repeat(300_000) })
    expect([large.status, await large.text()]).toEqual([413, 'too large'])
    const small = await fetch(`${url}/small`, { method: 'POST', body: 'z'.repeat(5) })
    expect([small.status, await small.text()]).toEqual([200, 'got 5'])
  })

  it('does not offer readBodyBytes once the body was handed out as a stream', async () => {
    const { url } = await serve((r) =>
      r.post('/streamed', async (ctx) => {
        const text = await new Response(ctx.request.body).text()
        return ctx.json({ text, offered: readBodyBytes(ctx.request, 100) !== undefined })
      }),
    )
    const res = await fetch(`${url}/streamed`, { method: 'POST', body: 'abc' })
    expect(await res.json()).toEqual({ text: 'abc', offered: false })
  })

  it('reads a clone of the body first, then the body itself', async () => {
    const { url } = await serve((r) =>
      r.post('/clone', async (ctx) => {
        const peek = await ctx.request.clone().text()
        const used = ctx.request.bodyUsed
        return ctx.json({ peek, used, body: await new Response(ctx.request.body).text() })
      }),
    )
    const res = await fetch(`${url}/clone`, { method: 'POST', body: 'a=1&b=2' })
    expect(await res.json()).toEqual({ peek: 'a=1&b=2', used: false, body: 'a=1&b=2' })
  })

  it('hands out one signal, before and after the full Request is built', async () => {
    const { url } = await serve((r) =>
      r.post('/signal', async (ctx) => {
        const first = ctx.request.signal
        const copy = ctx.request.clone()
        return ctx.json({ same: first === ctx.request.signal, aborted: first.aborted, copyFollows: copy.signal instanceof AbortSignal && !copy.signal.aborted })
      }),
    )
    const res = await fetch(`${url}/signal`, { method: 'POST', body: 'x' })
    expect(await res.json()).toEqual({ same: true, aborted: false, copyFollows: true })
  })

  it('gives ctx.signal as the request signal itself, which the time limit aborts with its own reason', async () => {
    let seen: { same: boolean; reason?: string } | undefined
    app = await createApp({
      environment: 'test',
      limits: { handlerTimeout: 100 },
      register: (c) => c.value(Logger, recordingLogger()),
      routes: (r) =>
        r.get('/slow', async (ctx) => {
          const same = ctx.signal === ctx.request.signal
          await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }))
          seen = { same, reason: (ctx.request.signal.reason as { code?: string }).code }
          return ctx.text('late')
        }),
    })
    const { url } = await app.listen({ port: 0 })
    const res = await fetch(`${url}/slow`)
    expect(res.status).toBe(503)
    await expect.poll(() => seen).toEqual({ same: true, reason: 'DOVETAIL_ERR_HTTP_TIME_LIMIT' })
  })

  it('has no body on GET', async () => {
    const { url } = await serve((r) => r.get('/none', (ctx) => ctx.json({ body: ctx.request.body, used: ctx.request.bodyUsed })))
    expect(await (await fetch(`${url}/none`)).json()).toEqual({ body: null, used: false })
  })

  it('can be copied with new Request(ctx.request) and cloned, as a proxy would', async () => {
    const { url } = await serve((r) =>
      r.put('/copy', async (ctx) => {
        const copy = new Request(ctx.request, { headers: { 'x-added': 'yes' } })
        return ctx.json({ method: copy.method, url: copy.url, added: copy.headers.get('x-added'), body: await copy.text() })
      }),
    )
    const res = await fetch(`${url}/copy`, { method: 'PUT', body: 'payload' })
    expect(await res.json()).toEqual({ method: 'PUT', url: `${url}/copy`, added: 'yes', body: 'payload' })
  })

  it('can be forwarded to another server with fetch(new Request(target, ctx.request))', async () => {
    const backend = await createApp({
      environment: 'test',
      routes: (r) => r.post('/echo', async (ctx) => ctx.text(`backend got ${await ctx.request.text()} for ${ctx.path}`)),
    })
    const backendServer = await backend.listen({ port: 0 })
    try {
      const { url } = await serve((r) =>
        r.post('/echo', (ctx) => fetch(new Request(`${backendServer.url}/echo`, ctx.request))),
      )
      const res = await fetch(`${url}/echo`, { method: 'POST', body: 'data' })
      expect(await res.text()).toBe('backend got data for /echo')
    } finally {
      await backend.close()
    }
  })

  it('has no body on GET and HEAD', async () => {
    const { url } = await serve((r) => r.get('/body', (ctx) => ctx.text(String(ctx.request.body))))
    expect(await (await fetch(`${url}/body`)).text()).toBe('null')
  })

  it('builds the URL from the Host header, ignoring X-Forwarded-* unless trustProxy is on', async () => {
    const routes: DovetailConfig['routes'] = (r) => r.get('/where', (ctx) => ctx.text(ctx.request.url))
    const ask = (port: number) =>
      rawRequest(port, 'GET /where?a=1 HTTP/1.1\r\nHost: example.test\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: public.example\r\nConnection: close\r\n\r\n')
    const plain = await serve(routes)
    expect((await ask(plain.port)).body).toBe('http://example.test/where?a=1')
    await app!.close()
    const trusting = await serve(routes, { server: node({ trustProxy: true }) })
    expect((await ask(trusting.port)).body).toBe('https://public.example/where?a=1')
  })

  it('passes the raw path to a mount, which sees it without the prefix', async () => {
    const { port } = await serve((r) => r.mount('/legacy', (request) => new Response(new URL(request.url).pathname)))
    const res = await rawRequest(port, 'GET /legacy/a%20b/c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(res.body).toBe('/a%20b/c')
  })

  it('answers 500 without details when the handler fails, and keeps serving', async () => {
    const { url } = await serve((r) => {
      r.get('/fail', () => {
        throw new Error('internal detail')
      })
      r.get('/ok', (ctx) => ctx.text('ok'))
    })
    const res = await fetch(`${url}/fail`)
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('internal detail')
    expect(await (await fetch(`${url}/ok`)).text()).toBe('ok')
  })

  it('serves a fetch handler that ignores the request entirely', async () => {
    const { url } = await serve((r) => r.get('/static', () => new Response('static')))
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest(`${url}/static`, (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c))
        res.on('end', () => resolve(text))
      })
        .on('error', reject)
        .end()
    })
    expect(body).toBe('static')
  })
})
