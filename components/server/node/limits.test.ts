import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, DovetailError, Logger } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { recordingLogger } from '../../../test/support/recording-logger.js'
import { openSocket, parseRaw, rawRequest, readUntilClosed } from '../../../test/support/raw-http.js'

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function serve(options: Parameters<typeof node>[0] = {}) {
  app = await createApp({
    environment: 'test',
    components: { server: node(options) },
    // The body read cut short by requestTimeout fails its handler; keep that out of the test output.
    register: (c) => c.value(Logger, recordingLogger()),
    routes: (r) => {
      r.get('/', (ctx) => ctx.text('ok'))
      r.post('/echo', async (ctx) => ctx.text(await ctx.request.text()))
    },
  })
  return (await app.listen({ port: 0 })).port
}

describe('server/node: header limits', () => {
  it('answers 431 to a header block larger than maxHeaderSize, and serves one within it', async () => {
    const port = await serve({ maxHeaderSize: 2048 })
    const small = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(1000)}\r\nConnection: close\r\n\r\n`)
    expect(small.status).toBe(200)
    const big = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(3000)}\r\nConnection: close\r\n\r\n`)
    expect(big.status).toBe(431)
  })

  it('defaults maxHeaderSize to 16 KiB', async () => {
    const port = await serve()
    const within = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(15_000)}\r\nConnection: close\r\n\r\n`)
    expect(within.status).toBe(200)
    const over = await rawRequest(port, `GET / HTTP/1.1\r\nHost: x\r\nX-Pad: ${'a'.repeat(17_000)}\r\nConnection: close\r\n\r\n`)
    expect(over.status).toBe(431)
  })
})

describe('server/node: timeouts', () => {
  it('cuts off a client that sends its headers too slowly (headersTimeout) with 408', async () => {
    const port = await serve({ headersTimeout: 300, requestTimeout: 2000 })
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n') // and never the blank line
    expect(parseRaw(await closed).status).toBe(408)
  })

  it('cuts off a client that sends its body too slowly (requestTimeout) with 408', async () => {
    const port = await serve({ headersTimeout: 200, requestTimeout: 400 })
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly part of it')
    expect(parseRaw(await closed).status).toBe(408)
  })

  it('announces keepAliveTimeout in the Keep-Alive header and closes idle connections after it', async () => {
    const port = await serve({ keepAliveTimeout: 1000 })
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n') // keep-alive: the server, not the client, ends it
    const response = parseRaw(await closed)
    expect(response.status).toBe(200)
    expect(response.headers['keep-alive']).toBe('timeout=1')
  })

  it('keeps idle connections for 5 s by default', async () => {
    const port = await serve()
    const res = await fetch(`http://127.0.0.1:${port}/`)
    expect(res.headers.get('keep-alive')).toBe('timeout=5')
    await res.text()
  })
})

describe('server/node: options are checked at boot', () => {
  const failure = async (options: Record<string, unknown>) => {
    try {
      await createApp({ environment: 'test', components: { server: node(options as never) } })
    } catch (error) {
      expect(error).toBeInstanceOf(DovetailError)
      return error as DovetailError
    }
    throw new Error('createApp should have failed')
  }

  it('names the option that has the wrong type', async () => {
    const error = await failure({ keepAliveTimeout: 'x' })
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain('server/node')
    expect(error.message).toContain('keepAliveTimeout')
  })

  it('names an option that does not exist', async () => {
    const error = await failure({ keepaliveTimeout: 1000 })
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain('keepaliveTimeout')
  })

  it('refuses a maxHeaderSize below 1 KiB and a negative timeout', async () => {
    expect((await failure({ maxHeaderSize: 100 })).message).toContain('maxHeaderSize')
    expect((await failure({ requestTimeout: -1 })).message).toContain('requestTimeout')
  })

  it('refuses a headersTimeout longer than requestTimeout, before listening', async () => {
    const error = await failure({ headersTimeout: 10_000, requestTimeout: 5_000 })
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain('headersTimeout')
    expect(error.message).toContain('requestTimeout')
  })
})
