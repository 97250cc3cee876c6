// Availability on shutdown: while a server closes, no request is reset or silently dropped. Every
// request either gets its full answer or a 503 with Retry-After (and, over HTTP, Connection: close);
// nothing refused reaches the app. Over HTTP the bytes are the point, so these use raw sockets.
import type { Socket } from 'node:net'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, type Component, createApp, Logger } from 'dovetailjs'
import fastcgi from 'dovetailjs/components/server/fastcgi'
import node, { nodeServerOptions } from 'dovetailjs/components/server/node'
import scgi from 'dovetailjs/components/server/scgi'
import { socketServerOptions } from 'dovetailjs/server-kit'
import { binaryAvailable } from '../support/binaries.js'
import { killExamples, startExample } from '../support/example-process.js'
import { FastCgiClient } from '../support/fastcgi-client.js'
import { adapterBehindNginx, establishedConnections } from '../support/front-servers.js'
import { within } from '../support/gateway-wait.js'
import { keepAliveLoad } from '../support/keep-alive-load.js'
import { gate, openSocket, parseRaw, type RawResponse } from '../support/raw-http.js'

let app: App | undefined
afterEach(async () => {
  killExamples()
  await app?.close()
  app = undefined
})

/** A logger that keeps its warnings (the cut after shutdownTimeout is one) and drops the rest. */
function warningLogger() {
  const warnings: unknown[][] = []
  const noop = () => {}
  const logger = { warnings, debug: noop, info: noop, warn: (...args: unknown[]) => void warnings.push(args), error: noop, child: () => logger }
  return logger
}

/**
 * An app whose `/slow` waits for `release` (telling `started` it began), and whose
 * `/count` counts its calls: a request refused while closing must not be counted.
 */
async function serve(server: Component) {
  const started = gate()
  const release = gate()
  const calls = { count: 0 }
  const logger = warningLogger()
  app = await createApp({
    environment: 'test',
    components: { server },
    register: (c) => c.value(Logger, logger),
    routes: (r) => {
      r.get('/slow', async (ctx) => {
        started.open()
        await release.promise
        return ctx.text('finished')
      })
      r.get('/count', (ctx) => ctx.text(`call ${++calls.count}`))
    },
  })
  const { port } = await app.listen({ port: 0, host: '127.0.0.1' })
  return { port, started, release, calls, logger, app }
}

/** Everything the server sends until the connection closes, and whether it closed with a reset. */
function readToClose(socket: Socket): Promise<{ raw: string; reset: boolean }> {
  return new Promise((resolve) => {
    let raw = ''
    let reset = false
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (raw += chunk))
    socket.once('error', () => (reset = true))
    socket.once('close', () => resolve({ raw, reset }))
  })
}

/** Responses one after another on one connection, each with a content-length body. */
function responses(raw: string): RawResponse[] {
  const parsed: RawResponse[] = []
  let rest = raw
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n')
    if (headEnd < 0) throw new Error(`an incomplete response: ${JSON.stringify(rest)}`)
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(rest.slice(0, headEnd))?.[1] ?? 0)
    const end = headEnd + 4 + length
    parsed.push(parseRaw(rest.slice(0, end)))
    rest = rest.slice(end)
  }
  return parsed
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: shutdown.test\r\n${extra}\r\n`

describe('server/node while closing (raw HTTP/1.1)', () => {
  it('sends the response in flight with Connection: close, then ends the connection without a reset', async () => {
    const s = await serve(node())
    const socket = await openSocket(s.port)
    const read = readToClose(socket)
    socket.write(get('/slow'))
    await s.started.promise
    const closing = s.app.close()
    s.release.open()
    const { raw, reset } = await within(read, 5000, 'the connection ending')
    expect(reset).toBe(false)
    const answers = responses(raw)
    expect(answers).toHaveLength(1)
    expect(answers[0]).toMatchObject({ status: 200, body: 'finished', headers: { connection: 'close' } })
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })

  it('answers a request pipelined behind the one in flight with 503, Retry-After and Connection: close, without calling the app', async () => {
    const s = await serve(node())
    const socket = await openSocket(s.port)
    const read = readToClose(socket)
    socket.write(get('/slow'))
    await s.started.promise
    const closing = s.app.close()
    // Pipelined on the same connection while /slow is still being answered.
    socket.write(get('/count'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    s.release.open()
    const { raw, reset } = await within(read, 5000, 'the connection ending')
    expect(reset).toBe(false)
    const [first, second, ...more] = responses(raw)
    expect(first).toMatchObject({ status: 200, body: 'finished', headers: { connection: 'close' } })
    expect(second).toMatchObject({ status: 503, headers: { connection: 'close', 'retry-after': '1' } })
    expect(more).toEqual([])
    expect(s.calls.count).toBe(0)
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })

  it('answers a request on an idle keep-alive connection with 503 and Connection: close, then ends the connection', async () => {
    // A long grace: the connection must still be open when the request comes, however slow the machine.
    const s = await serve(node({ shutdownIdleGrace: 30_000 }))
    const socket = await openSocket(s.port)
    const first = new Promise<string>((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1'))))
    socket.write(get('/count'))
    expect(parseRaw(await first)).toMatchObject({ status: 200, body: 'call 1', headers: { connection: 'keep-alive' } })
    const read = readToClose(socket)
    const closing = s.app.close()
    socket.write(get('/count'))
    const { raw, reset } = await within(read, 5000, 'the connection ending')
    expect(reset).toBe(false)
    expect(responses(raw)).toEqual([expect.objectContaining({ status: 503, headers: expect.objectContaining({ connection: 'close', 'retry-after': '1' }) })])
    expect(s.calls.count).toBe(1)
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })

  it('closes at once a keep-alive connection idle for longer than shutdownIdleGrace', async () => {
    const s = await serve(node({ shutdownIdleGrace: 1500 }))
    const socket = await openSocket(s.port)
    const first = new Promise<void>((resolve) => socket.once('data', () => resolve()))
    socket.write(get('/count'))
    await first
    const read = readToClose(socket)
    await new Promise((resolve) => setTimeout(resolve, 1600))
    const began = performance.now()
    await s.app.close()
    // Waiting out a grace would take 1500 ms; closing at once takes a few.
    expect(performance.now() - began).toBeLessThan(1000)
    expect((await read).raw).toBe('')
    app = undefined
  })

  it('cuts a request still in flight after shutdownTimeout and logs how many it cut', async () => {
    const s = await serve(node({ shutdownTimeout: 200 }))
    const socket = await openSocket(s.port)
    const read = readToClose(socket)
    socket.write(get('/slow'))
    await s.started.promise
    await within(s.app.close(), 5000, 'close() resolving after shutdownTimeout')
    expect((await read).raw).toBe('')
    expect(s.logger.warnings).toEqual([
      [{ connections: 1, requests: 1 }, 'server/node: shutdownTimeout (200 ms) ran out: cut 1 connections with 1 requests in flight'],
    ])
    s.release.open()
    app = undefined
  })
})

describe('server/node: SIGTERM under keep-alive load (docs/examples/server/main.ts)', () => {
  // Measured with the other core busy (yes > /dev/null): start 1.7-2.3 s, exit 0.27-0.54 s after SIGTERM;
  // the budgets below are several times that.
  it('answers every request in full (200, or 503 once closing), resets none, and exits 0 within shutdownTimeout', { timeout: 60_000 }, async () => {
    const { listening: url, child, exited } = await startExample('docs/examples/server/main.ts', /listening on (http:\/\/\S+)/)
    // 32 connections, each sending its next request as soon as the last answer ended; /countdown streams for 200 ms.
    const load = keepAliveLoad(url, { connections: 32, paths: ['/', '/countdown?from=1', '/', '/'] })
    await within(load.warmed, 20_000, 'every connection getting an answer')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const signalled = performance.now()
    child.kill('SIGTERM')
    const code = await within(exited, 20_000, 'the process exiting')
    const exitMs = performance.now() - signalled
    const tally = await load.done

    expect(tally.errors).toEqual({}) // no ECONNRESET ("socket hang up"), no EPIPE
    expect(tally.refused).toBe(0)
    const answered = Object.values(tally.statuses).reduce((a, b) => a + b, 0)
    expect(answered).toBe(tally.sent)
    for (const status of Object.keys(tally.statuses)) expect(['200', '503']).toContain(status)
    // Each connection ended on an answer that said Connection: close.
    expect(tally.connectionClose).toBe(32)
    expect(code).toBe(0)
    // The example's shutdownTimeout (docs/examples/server/app.ts).
    expect(exitMs).toBeLessThan(5000)
  })
})

describe('server/fastcgi while closing', () => {
  it('answers the request in flight on a kept connection, 503s a new one with END_REQUEST, then ends the connection', async () => {
    const s = await serve(fastcgi())
    const c = await FastCgiClient.open(s.port)
    c.request(1, 'GET', '/slow', { keepConn: true })
    await s.started.promise
    const closing = s.app.close()
    // A second request multiplexed on the same kept connection, after close began.
    c.request(2, 'GET', '/count', { keepConn: true })
    const refused = await within(c.answer(2), 5000, 'the answer to the new request')
    expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': ['1'] }, protocolStatus: 0 })
    expect(c.isClosed).toBe(false)
    s.release.open()
    const answered = await within(c.answer(1), 5000, 'the answer to the request in flight')
    expect(answered).toMatchObject({ status: 200, protocolStatus: 0 })
    expect(answered.body.toString()).toBe('finished')
    await within(c.closed, 5000, 'the kept connection ending')
    expect(s.calls.count).toBe(0)
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })

  it('answers a request on an idle kept connection with 503 then END_REQUEST, and ends the connection', async () => {
    const s = await serve(fastcgi({ shutdownIdleGrace: 30_000 }))
    const c = await FastCgiClient.open(s.port)
    c.request(1, 'GET', '/count', { keepConn: true })
    expect((await c.answer(1)).status).toBe(200)
    c.records.length = 0
    const closing = s.app.close()
    c.request(2, 'GET', '/count', { keepConn: true })
    expect(await within(c.answer(2), 5000, 'the answer')).toMatchObject({ status: 503, headers: { 'retry-after': ['1'] }, protocolStatus: 0 })
    await within(c.closed, 5000, 'the kept connection ending')
    expect(s.calls.count).toBe(1)
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })

  it('cuts a request still in flight after shutdownTimeout and logs how many it cut', async () => {
    const s = await serve(fastcgi({ shutdownTimeout: 200 }))
    const c = await FastCgiClient.open(s.port)
    c.request(1, 'GET', '/slow', { keepConn: true })
    await s.started.promise
    await within(s.app.close(), 5000, 'close() resolving after shutdownTimeout')
    await within(c.closed, 5000, 'the connection being cut')
    expect(s.logger.warnings).toEqual([
      [{ connections: 1, requests: 1 }, 'server/fastcgi: shutdownTimeout (200 ms) ran out: cut 1 connections with 1 requests in flight'],
    ])
    s.release.open()
    app = undefined
  })
})

describe('server/scgi while closing', () => {
  it('answers a request on a connection opened before close() with 503 and Retry-After, without calling the app', async () => {
    const s = await serve(scgi({ shutdownIdleGrace: 30_000 }))
    const socket = await openSocket(s.port)
    const read = readToClose(socket)
    const closing = s.app.close()
    const pairs = ['CONTENT_LENGTH', '0', 'SCGI', '1', 'REQUEST_METHOD', 'GET', 'REQUEST_URI', '/count', 'SERVER_NAME', 'scgi.test', 'SERVER_PORT', '80']
    const headers = Buffer.from(`${pairs.join('\0')}\0`, 'latin1')
    socket.write(Buffer.concat([Buffer.from(`${headers.length}:`), headers, Buffer.from(',')]))
    const { raw, reset } = await within(read, 5000, 'the connection ending')
    expect(reset).toBe(false)
    expect(raw).toMatch(/^Status: 503 /)
    expect(raw).toContain('\r\nretry-after: 1\r\n')
    expect(s.calls.count).toBe(0)
    await within(closing, 5000, 'close() resolving')
    app = undefined
  })
})

/** nginx's `keepalive_timeout` in an upstream block of a documented config (`docs/examples/deployment/` unless a folder is given), in ms (nginx's default is 60 s). */
function upstreamKeepaliveTimeout(file: string): number {
  const conf = readFileSync(new URL(`../../docs/examples/${file.includes('/') ? file : `deployment/${file}`}`, import.meta.url), 'utf8')
  const upstream = /upstream\s+\w+\s*\{([^}]*)\}/.exec(conf)?.[1] ?? ''
  const setting = /^\s*keepalive_timeout\s+(\d+)(ms|s)?\s*;/m.exec(upstream)
  if (!setting) return 60_000
  return Number(setting[1]) * (setting[2] === 'ms' ? 1 : 1000)
}

describe('keep-alive timeouts: nginx closes an idle upstream connection before the app does', () => {
  // If the app closed first, nginx could send a request on a connection the app is closing.
  it('nginx-proxy.conf keeps idle connections for less than the node server\'s default keepAliveTimeout', () => {
    expect(upstreamKeepaliveTimeout('nginx-proxy.conf')).toBeLessThan(nodeServerOptions.parse({}).keepAliveTimeout)
  })

  it('scaling/nginx-hosts.conf keeps idle connections for less than the node server\'s default keepAliveTimeout', () => {
    expect(upstreamKeepaliveTimeout('scaling/nginx-hosts.conf')).toBeLessThan(nodeServerOptions.parse({}).keepAliveTimeout)
  })

  it('nginx-fastcgi.conf keeps idle connections for less than the fastcgi server\'s default idleTimeout', () => {
    expect(upstreamKeepaliveTimeout('nginx-fastcgi.conf')).toBeLessThan(socketServerOptions.parse({}).idleTimeout)
  })

  it('the keepalive_timeout figures in docs/deployment.md are the configs\'', () => {
    const page = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8')
    for (const file of ['nginx-proxy.conf', 'nginx-fastcgi.conf']) {
      const conf = readFileSync(new URL(`../../docs/examples/deployment/${file}`, import.meta.url), 'utf8')
      expect(page, `docs/deployment.md shows ${file} as it is`).toContain(conf.trim())
    }
  })

  it.skipIf(!binaryAvailable('nginx'))(
    'with nginx-proxy.conf, nginx ends its idle connection to the node server before keepAliveTimeout',
    { timeout: 30_000 },
    async () => {
      const served = await adapterBehindNginx(node({ trustProxy: true }), () => new Response('ok'), 'nginx-proxy.conf', (l) => ({ '127.0.0.1:3000': `127.0.0.1:${l.port}` }))
      try {
        expect(await (await fetch(`${served.url}/`)).text()).toBe('ok')
        expect(establishedConnections(served.listening.port)).toBe(1)
        // Past nginx's keepalive_timeout, short of the app's keepAliveTimeout: only nginx can have closed it.
        const nginxMs = upstreamKeepaliveTimeout('nginx-proxy.conf')
        const appMs = nodeServerOptions.parse({}).keepAliveTimeout
        await new Promise((resolve) => setTimeout(resolve, (nginxMs + appMs) / 2))
        expect(establishedConnections(served.listening.port)).toBe(0)
      } finally {
        await served.close()
      }
    },
  )
})
