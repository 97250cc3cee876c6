import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { FetchHandler, ListeningServer, Server } from 'dovetailjs'
import { NodeServer, nodeServerOptions } from 'dovetailjs/components/server/node'
import { GatewayContractError, validateServer } from 'dovetailjs/testing'
import { gate } from '../support/raw-http.js'

const encoder = new TextEncoder()

/**
 * A deliberately naive adapter on node:http, whose faults each test switches
 * on: what it hands the handler, what listen() resolves with, whether close()
 * waits. The faults are the ones an adapter author makes.
 */
class ToyServer implements Server {
  constructor(
    private readonly faults: {
      request?: (url: string, method: string) => unknown
      listenResult?: (real: ListeningServer) => unknown
      closeAtOnce?: boolean
    } = {},
  ) {}

  async listen(handler: FetchHandler): Promise<ListeningServer> {
    const server: HttpServer = createServer(async (req, res) => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${req.url}`
      const request = this.faults.request?.(url, req.method!) ?? new Request(url, { method: req.method })
      try {
        const response = await handler(request as Request)
        res.writeHead(response.status)
        res.end(await response.text())
      } catch {
        res.writeHead(500).end()
      }
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const real: ListeningServer = {
      port,
      host: '127.0.0.1',
      url: `http://127.0.0.1:${port}`,
      close: () =>
        this.faults.closeAtOnce
          ? Promise.resolve() // the fault: resolves, and keeps listening and answering
          : new Promise<void>((resolve) => server.close(() => resolve())),
    }
    if (this.faults.closeAtOnce) after.push(() => void server.close(() => {}).closeAllConnections())
    return (this.faults.listenResult?.(real) ?? real) as ListeningServer
  }
}

const after: Array<() => void> = []
const cleanUp = () => after.splice(0).forEach((f) => f())
const hello: FetchHandler = () => new Response('hello')

describe('validateServer: a correct server passes', () => {
  it('the built-in node server, streamed bodies and a graceful close included', async () => {
    const server = validateServer(new NodeServer(nodeServerOptions.parse({})))
    const listening = await server.listen(
      (request) =>
        new URL(request.url).pathname === '/stream'
          ? new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('one ')), c.enqueue(encoder.encode('two')), c.close()) }))
          : new Response('hello'),
      { port: 0, host: '127.0.0.1' },
    )
    expect(await (await fetch(`${listening.url}/`)).text()).toBe('hello')
    expect(await (await fetch(`${listening.url}/stream`)).text()).toBe('one two')
    await listening.close()
    expect(server.breaches).toEqual([])
    server.assertNoBreaches()
  })

  it('a start function, as the server kit takes', async () => {
    const start = validateServer(async (handler: FetchHandler) => new NodeServer(nodeServerOptions.parse({})).listen(handler, { port: 0, host: '127.0.0.1' }))
    const started = await start(hello)
    expect(await (await fetch(started.url)).text()).toBe('hello')
    await started.close()
    start.assertNoBreaches()
  })
})

describe('validateServer: each breach, reported precisely', () => {
  it('not-a-request: the handler called with a plain object', async () => {
    const server = validateServer(new ToyServer({ request: (url, method) => ({ url, method, headers: {} }) }))
    const listening = await server.listen(hello, { port: 0, host: '127.0.0.1' })
    expect((await fetch(`${listening.url}/x`)).status).toBe(500) // thrown in the handler's path: the server answers 500
    await listening.close()
    expect(server.breaches).toHaveLength(1)
    expect(server.breaches[0]).toBeInstanceOf(GatewayContractError)
    expect(server.breaches[0]).toMatchObject({ side: 'server', breach: 'not-a-request', code: 'DOVETAIL_ERR_GATEWAY_SERVER_CONTRACT' })
    expect(server.breaches[0]!.message).toContain('ToyServer.listen(): the handler was called with a plain object { url, method, headers }, not a Request')
  })

  it('request-url: a request whose URL is only the path', async () => {
    // A lazy stand-in (instanceof Request) that forgot the scheme and host.
    const relative = (url: string, method: string) =>
      Object.create(Request.prototype, { url: { value: new URL(url).pathname }, method: { value: method }, signal: { value: new AbortController().signal } })
    const server = validateServer(new ToyServer({ request: relative }))
    const listening = await server.listen(hello, { port: 0, host: '127.0.0.1' })
    await fetch(`${listening.url}/page`)
    await listening.close()
    expect(server.breaches.map((b) => [b.breach, b.message.includes("the request URL '/page' is not an absolute http(s) URL")])).toEqual([['request-url', true]])
  })

  it('listen-result: listen() resolves without a url and a close()', async () => {
    const server = validateServer(new ToyServer({ listenResult: (real) => (after.push(() => void real.close()), { port: real.port }) }))
    await expect(server.listen(hello, { port: 0, host: '127.0.0.1' })).rejects.toMatchObject({
      breach: 'listen-result',
      message: expect.stringContaining('lacks a url, a close() function, a host'),
    })
    cleanUp()
  })

  it('handler-after-close: a request reaches the handler after close() resolved', async () => {
    const server = validateServer(new ToyServer({ closeAtOnce: true }))
    const listening = await server.listen(hello, { port: 0, host: '127.0.0.1' })
    await listening.close()
    expect((await fetch(`${listening.url}/late`)).status).toBe(500)
    cleanUp()
    expect(server.breaches.map((b) => b.breach)).toEqual(['handler-after-close'])
    expect(server.breaches[0]!.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/late reached the handler after close\(\) had resolved/)
  })

  it('close-before-finish: close() resolves while a request is still in the handler', async () => {
    const started = gate()
    const release = gate()
    const server = validateServer(new ToyServer({ closeAtOnce: true }))
    const listening = await server.listen(
      async () => {
        started.open()
        await release.promise
        return new Response('late')
      },
      { port: 0, host: '127.0.0.1' },
    )
    const inFlight = fetch(`${listening.url}/slow`)
    await started.promise
    await listening.close()
    expect(server.breaches.map((b) => b.breach)).toEqual(['close-before-finish'])
    expect(server.breaches[0]!.message).toMatch(/close\(\) resolved while 1 request\(s\) were unfinished: GET http:\/\/127\.0\.0\.1:\d+\/slow \(in the handler\)/)
    release.open()
    await inFlight
    cleanUp()
  })

  it('close-before-finish: close() resolves while a response body is neither read to the end nor cancelled', async () => {
    // An adapter that reads the first chunk of a streamed body, then forgets it.
    const forgetful: Server = {
      async listen(handler) {
        const response = await handler(new Request('http://127.0.0.1/feed'))
        await response.body!.getReader().read()
        return { port: 1, host: '127.0.0.1', url: 'http://127.0.0.1:1', close: async () => {} }
      },
    }
    const server = validateServer(forgetful)
    const endless = () => new Response(new ReadableStream({ pull: (c) => c.enqueue(encoder.encode('more ')) }))
    const listening = await server.listen(endless, { port: 0, host: '127.0.0.1' })
    await listening.close()
    expect(server.breaches.map((b) => b.message)).toEqual([expect.stringContaining('GET http://127.0.0.1/feed (with its response body neither read to the end nor cancelled)')])
  })
})
