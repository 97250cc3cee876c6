import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { recordingLogger } from '../support/recording-logger.js'
import { openSocket, parseRaw, rawRequest, readUntilClosed } from '../support/raw-http.js'

// Request smuggling and malformed framing, sent as exact bytes to the node
// server. Each case expects a 400 before any handler runs: a request the
// parser cannot frame with certainty must never reach the app.

let app: App
let port: number
const seen: string[] = []

beforeAll(async () => {
  app = await createApp({
    environment: 'test',
    components: { server: node() },
    register: (c) => c.value(Logger, recordingLogger()),
    routes: (r) => {
      r.get('/', (ctx) => {
        seen.push(`GET ${ctx.path}`)
        return ctx.text('ok')
      })
      r.post('/echo', async (ctx) => {
        const body = await ctx.request.text()
        seen.push(`POST ${ctx.path} ${body}`)
        return ctx.text(body)
      })
      r.get('/admin', (ctx) => {
        seen.push('GET /admin')
        return ctx.text('secret')
      })
    },
  })
  port = (await app.listen({ port: 0 })).port
})
afterAll(() => app.close())

const malformed: Array<[string, string]> = [
  ['Content-Length and Transfer-Encoding together', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['two different Content-Length values', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 40\r\n\r\nabc'],
  ['a Content-Length list', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 40\r\n\r\nabc'],
  ['a signed Content-Length', 'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc'],
  ['a Transfer-Encoding that does not end in chunked', 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['an obfuscated Transfer-Encoding', 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n'],
  ['a chunk size that is not hexadecimal', 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n'],
  ['a chunk without its CRLF', 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX0\r\n\r\n'],
  ['whitespace between a header name and its colon', 'GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 0\r\n\r\n'],
  ['an obsolete folded header line', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n'],
  ['a NUL in a header value', 'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n'],
  ['a header name with a space', 'GET / HTTP/1.1\r\nHost: x\r\nX A: 1\r\n\r\n'],
  ['a method that is not a token', 'G(T / HTTP/1.1\r\nHost: x\r\n\r\n'],
  ['an unknown HTTP version', 'GET / HTTP/1.7\r\nHost: x\r\n\r\n'],
  ['no Host header in HTTP/1.1', 'GET / HTTP/1.1\r\n\r\n'],
  ['a space inside the request target', 'GET /a b HTTP/1.1\r\nHost: x\r\n\r\n'],
]

describe('HTTP parsing: malformed framing is refused before the app', () => {
  it.each(malformed)('answers 400 and closes for %s', async (_, bytes) => {
    seen.length = 0
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    socket.write(bytes)
    const raw = await closed
    expect(parseRaw(raw).status).toBe(400)
    // Exactly one response: nothing smuggled behind the first request was answered.
    expect(raw.match(/HTTP\/1\.1 \d{3}/g)).toHaveLength(1)
    expect(seen).toEqual([])
  })
})

describe('HTTP parsing: well-framed requests still work', () => {
  it('reads a chunked body', async () => {
    seen.length = 0
    const res = await rawRequest(port, 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n')
    expect(res.status).toBe(200)
    expect(res.body).toBe('abcde')
  })

  it('answers two pipelined requests in order, each framed by its own Content-Length', async () => {
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    socket.write('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /admin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    const raw = await closed
    const [first, second] = raw.split(/(?=HTTP\/1\.1 )/).map(parseRaw)
    expect([first?.status, first?.body]).toEqual([200, 'abc'])
    expect([second?.status, second?.body]).toEqual([200, 'secret'])
  })
})
