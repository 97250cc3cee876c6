import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, Logger } from 'dovetailjs'
import scgi from 'dovetailjs/components/server/scgi'
import { parseCgiResponse } from '../../../test/support/fastcgi-client.js'
import { within } from '../../../test/support/gateway-wait.js'
import { gate, openSocket } from '../../../test/support/raw-http.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'
import { scgiRequest } from '../../../test/support/scgi-client.js'

let app: App | undefined
let logger: ReturnType<typeof recordingLogger>

afterEach(async () => {
  await app?.close()
  app = undefined
})

async function serve(routes: DovetailConfig['routes'], options: Parameters<typeof scgi>[0] = {}): Promise<number> {
  logger = recordingLogger()
  app = await createApp({ environment: 'test', components: { server: scgi(options) }, routes, register: (c) => c.value(Logger, logger) })
  return (await app.listen({ port: 0 })).port
}

/** Send raw bytes, read until the server closes the connection, parse the CGI response. */
async function exchange(port: number, ...parts: Buffer[]) {
  const socket = await openSocket(port)
  const chunks: Buffer[] = []
  socket.on('data', (c: Buffer) => chunks.push(c))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('error', () => {})
  for (const part of parts) socket.write(part)
  await within(closed, 5000, 'the server closing the connection')
  return parseCgiResponse(Buffer.concat(chunks))
}

const routes: DovetailConfig['routes'] = (r) => {
  r.get('/hello', (ctx) => ctx.json({ url: ctx.request.url, query: ctx.query }))
  r.post('/echo', async (ctx) => ctx.text(await ctx.request.text()))
  r.post('/refuse', (ctx) => ctx.text('no thanks', { status: 413 }))
}

describe('server/scgi: the protocol', () => {
  it('answers one request per connection and closes it', async () => {
    const port = await serve(routes)
    const res = await exchange(port, scgiRequest('GET', '/hello?a=1'))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body.toString())).toEqual({ url: 'http://scgi.test/hello?a=1', query: { a: '1' } })
  })

  it('reads a body that arrives in pieces, split anywhere (even inside the netstring)', async () => {
    const port = await serve(routes)
    const bytes = scgiRequest('POST', '/echo', 'a body in pieces')
    const res = await exchange(port, bytes.subarray(0, 2), bytes.subarray(2, 30), bytes.subarray(30, bytes.length - 5), bytes.subarray(bytes.length - 5))
    expect(res.body.toString()).toBe('a body in pieces')
  })

  it('delivers an answer given before the body was read while the web server is still sending it', async () => {
    const port = await serve(routes)
    const body = 'x'.repeat(2 * 1024 * 1024)
    const res = await exchange(port, scgiRequest('POST', '/refuse', body))
    expect(res.status).toBe(413)
    expect(res.body.toString()).toBe('no thanks')
  })

  it('closes the connection and logs DOVETAIL_ERR_SERVER_PROTOCOL when it is sent HTTP instead of SCGI', async () => {
    const port = await serve(routes)
    await exchange(port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    expect(JSON.stringify(logger.errors)).toContain('DOVETAIL_ERR_SERVER_PROTOCOL')
    expect(JSON.stringify(logger.errors)).toContain('scgi_pass, not proxy_pass')
  })
})

describe('server/scgi: limits', () => {
  it('answers 431 to a variable block over maxHeaderSize without calling the app', async () => {
    const port = await serve(routes, { maxHeaderSize: 2048 })
    const ok = await exchange(port, scgiRequest('GET', '/hello', '', [['HTTP_X_PAD', 'a'.repeat(1500)]]))
    expect(ok.status).toBe(200)
    const refused = await exchange(port, scgiRequest('GET', '/hello', '', [['HTTP_X_PAD', 'a'.repeat(2500)]]))
    expect(refused.status).toBe(431)
    expect(refused.body.toString()).toContain('server/scgi option maxHeaderSize')
  })

  it('answers 413 to a CONTENT_LENGTH over maxBodySize without calling the app', async () => {
    let calls = 0
    const port = await serve((r) => r.post('/', async (ctx) => (calls++, ctx.text(await ctx.request.text()))), { maxBodySize: 1000 })
    const refused = await exchange(port, scgiRequest('POST', '/', 'x'.repeat(1001)))
    expect(refused.status).toBe(413)
    expect(refused.body.toString()).toContain('server/scgi option maxBodySize')
    expect(calls).toBe(0)
    expect((await exchange(port, scgiRequest('POST', '/', 'x'.repeat(1000)))).body.toString()).toBe('x'.repeat(1000))
  })
})

describe('server/scgi: idle connections', () => {
  it('closes a connection that sends nothing for idleTimeout, but not one whose request is in flight', async () => {
    const release = gate()
    const port = await serve((r) => r.get('/slow', async (ctx) => (await release.promise, ctx.text('done'))), { idleTimeout: 200 })
    const silent = await openSocket(port)
    silent.on('error', () => {})
    await within(new Promise<void>((resolve) => silent.once('close', () => resolve())), 3000, 'the silent connection being closed')
    // A request the app takes longer than idleTimeout to answer is still answered.
    const answer = exchange(port, scgiRequest('GET', '/slow'))
    await new Promise((resolve) => setTimeout(resolve, 500))
    release.open(undefined)
    const res = await answer
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe('done')
  })
})

describe('server/scgi: closing', () => {
  it('lets a request in flight finish and refuses new connections', async () => {
    const started = gate()
    const release = gate()
    const port = await serve((r) =>
      r.get('/slow', async (ctx) => {
        started.open()
        await release.promise
        return ctx.text('finished')
      }),
    )
    const slow = exchange(port, scgiRequest('GET', '/slow'))
    await within(started.promise, 5000, 'the request reaching its handler')
    const closing = app!.close()
    await expect(openSocket(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    release.open(undefined)
    expect((await slow).body.toString()).toBe('finished')
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })
})
