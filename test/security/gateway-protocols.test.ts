// Security review, class 6: the gateway protocols (SCGI, FastCGI, CGI) held to their specs.
// Each case writes the exact bytes a broken or hostile web server would, and checks the
// status (or END_REQUEST, or the closed connection) and that nothing reached the app:
// no request handed to it, no body stored.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { createApp, type FetchHandler, Logger } from 'dovetailjs'
import { serveCgi } from 'dovetailjs/components/server/cgi'
import { FastCgiServer, fastcgiServerOptions } from 'dovetailjs/components/server/fastcgi'
import { ScgiServer, scgiServerOptions } from 'dovetailjs/components/server/scgi'
import { compiledCheckout } from '../support/compiled.js'
import { decodePairs, encodePairs, encodeRecord, FastCgiClient, parseCgiResponse, RecordType } from '../support/fastcgi-client.js'
import { within } from '../support/gateway-wait.js'
import { gate } from '../support/raw-http.js'
import { recordingLogger } from '../support/recording-logger.js'
import { netstring, scgiBlock, scgiExchange, scgiPairs, scgiRequest } from '../support/scgi-client.js'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** What reached the app: each request an adapter handed it (its URL), and each body a handler read whole. */
interface Seen {
  requests: string[]
  stored: string[]
}

/**
 * An app (no server component) whose fetch is wrapped to record each request
 * it is handed; `/store` keeps the body it reads, `/hold` waits until its
 * signal aborts or the test releases it, `/broken` streams a chunk then fails.
 */
async function recordingApp() {
  const seen: Seen = { requests: [], stored: [] }
  const logger = recordingLogger()
  const held = gate()
  const release = gate()
  const app = await createApp({
    environment: 'test',
    components: { server: false },
    register: (c) => c.value(Logger, logger),
    routes: (r) => {
      r.get('/', (ctx) => ctx.text('ok'))
      r.get('/headers', (ctx) => ctx.json(Object.fromEntries(ctx.request.headers)))
      r.post('/store', async (ctx) => {
        const body = await ctx.request.text()
        seen.stored.push(body)
        return ctx.text(`stored ${body.length}`)
      })
      r.get('/hold', async (ctx) => {
        held.open()
        await Promise.race([release.promise, new Promise((resolve) => ctx.request.signal.addEventListener('abort', resolve, { once: true }))])
        return ctx.text(ctx.request.signal.aborted ? 'aborted' : 'released')
      })
      r.get('/broken', () => {
        let sent = false
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent) return controller.error(new Error('the body source went away'))
            sent = true
            controller.enqueue(new TextEncoder().encode('partial;'))
          },
        })
        return new Response(body)
      })
    },
  })
  const handler: FetchHandler = (request) => {
    seen.requests.push(request.url)
    return app.fetch(request)
  }
  return { app, handler, seen, logger, held, release }
}

const protocolLogged = (logger: ReturnType<typeof recordingLogger>) => JSON.stringify(logger.errors).includes('DOVETAIL_ERR_SERVER_PROTOCOL')

// ---------------------------------------------------------------------------------------------
// SCGI
// ---------------------------------------------------------------------------------------------

async function scgiGateway(options: z.input<typeof scgiServerOptions> = {}) {
  const recorded = await recordingApp()
  const listening = await new ScgiServer(scgiServerOptions.parse(options), recorded.logger).listen(recorded.handler, { port: 0, host: '127.0.0.1' })
  cleanups.push(async () => {
    recorded.release.open()
    await listening.close()
    await recorded.app.close()
  })
  return { ...recorded, port: listening.port }
}

const text = (s: string) => Buffer.from(s, 'latin1')
const validBlock = scgiBlock(scgiPairs('GET', '/'))
const withLength = (length: string, block = validBlock, end = ',') => Buffer.concat([text(`${length}:`), block, text(end)])

describe('SCGI: a header netstring that is not one is answered 400, the connection closed, the app not called', () => {
  const cases: Array<[string, Buffer]> = [
    ['a leading zero in the length', withLength(`0${validBlock.length}`)],
    ['a space before the length', withLength(` ${validBlock.length}`)],
    ['a tab before the length', withLength(`\t${validBlock.length}`)],
    ['a plus sign', withLength(`+${validBlock.length}`)],
    ['a minus sign', withLength(`-${validBlock.length}`)],
    ['a space between the length and the colon', withLength(`${validBlock.length} `)],
    ['the length in hexadecimal', withLength(`0x${validBlock.length.toString(16)}`)],
    ['Arabic-Indic digits', Buffer.concat([Buffer.from('٧٨:'), validBlock, text(',')])],
    ['no length before the colon', withLength('')],
    ['a length one short of the block', withLength(String(validBlock.length - 1))],
    ['a semicolon where the comma goes', withLength(String(validBlock.length), validBlock, ';')],
    ['a NUL where the comma goes', withLength(String(validBlock.length), validBlock, '\0')],
    ['an HTTP request (proxy_pass pointed at the SCGI port)', text('GET / HTTP/1.1\r\nHost: x\r\n\r\n')],
    ['NUL bytes', Buffer.alloc(32)],
  ]
  for (const [what, bytes] of cases) {
    it(`${what}: 400 DOVETAIL_ERR_SERVER_SCGI_NETSTRING`, async () => {
      const scgi = await scgiGateway()
      const res = await scgiExchange(scgi.port, [bytes])
      expect(res.status).toBe(400)
      expect(res.body.toString()).toContain('DOVETAIL_ERR_SERVER_SCGI_NETSTRING')
      expect(scgi.seen.requests).toEqual([])
      expect(protocolLogged(scgi.logger)).toBe(true)
    })
  }

  it('the same, when the bytes arrive one at a time', async () => {
    const scgi = await scgiGateway()
    const bytes = withLength(`0${validBlock.length}`)
    const res = await scgiExchange(scgi.port, [...bytes].map((byte) => Buffer.from([byte])))
    expect(res.status).toBe(400)
    expect(scgi.seen.requests).toEqual([])
  })

  it('a request cut at any byte by the end of the connection: 400 DOVETAIL_ERR_SERVER_SCGI_NETSTRING, for every cut', async () => {
    const scgi = await scgiGateway()
    const whole = netstring(validBlock)
    for (let cut = 1; cut < whole.length; cut++) {
      const res = await scgiExchange(scgi.port, [whole.subarray(0, cut)], { end: true })
      expect(res.status, `cut after ${cut} bytes`).toBe(400)
      expect(res.body.toString()).toContain('DOVETAIL_ERR_SERVER_SCGI_NETSTRING')
    }
    expect(scgi.seen.requests).toEqual([])
  })

  it('a length over maxHeaderSize is answered 431 before the block arrives, however many digits it has', async () => {
    const scgi = await scgiGateway({ maxHeaderSize: 2048 })
    for (const length of ['2049', '99999', '9'.repeat(40)]) {
      const res = await scgiExchange(scgi.port, [text(`${length}`)])
      expect(res.status, length).toBe(431)
    }
    expect(scgi.seen.requests).toEqual([])
  })
})

describe('SCGI: a header block that breaks the spec is answered 400 with the rule it breaks, the app not called', () => {
  const pairs = scgiPairs('GET', '/')
  const without = (name: string) => pairs.filter(([n]) => n !== name)
  const withValue = (name: string, value: string) => pairs.map(([n, v]): [string, string] => [n, n === name ? value : v])
  const cases: Array<[string, Buffer, string]> = [
    ['an empty block', Buffer.alloc(0), 'CONTENT_LENGTH'],
    ['a last value without its NUL', validBlock.subarray(0, -1), 'HEADERS'],
    ['a name without a value (an odd number of strings)', Buffer.concat([validBlock, text('EXTRA\0')]), 'HEADERS'],
    ['an empty name', Buffer.concat([validBlock, text('\0value\0')]), 'HEADERS'],
    ['CONTENT_LENGTH second', scgiBlock([pairs[1]!, pairs[0]!, ...pairs.slice(2)]), 'CONTENT_LENGTH'],
    ['no CONTENT_LENGTH', scgiBlock(without('CONTENT_LENGTH')), 'CONTENT_LENGTH'],
    ...['', '-1', '+1', '1.0', ' 1', '1 ', '0x1', '1e3', '٣'].map((value): [string, Buffer, string] => [`CONTENT_LENGTH ${JSON.stringify(value)}`, scgiBlock(withValue('CONTENT_LENGTH', value)), 'CONTENT_LENGTH']),
    ['no SCGI variable', scgiBlock(without('SCGI')), 'VERSION'],
    ...['0', '2', '', '1 ', '01', 'true'].map((value): [string, Buffer, string] => [`SCGI=${JSON.stringify(value)}`, scgiBlock(withValue('SCGI', value)), 'VERSION']),
    ['CONTENT_LENGTH twice, the same', scgiBlock([...pairs, ['CONTENT_LENGTH', '0']]), 'HEADERS'],
    ['CONTENT_LENGTH twice, different', scgiBlock([...pairs, ['CONTENT_LENGTH', '5']]), 'HEADERS'],
    ['SCGI twice', scgiBlock([...pairs, ['SCGI', '1']]), 'HEADERS'],
    ['REQUEST_URI twice', scgiBlock([...pairs, ['REQUEST_URI', '/admin']]), 'HEADERS'],
    ['REQUEST_METHOD twice', scgiBlock([...pairs, ['REQUEST_METHOD', 'DELETE']]), 'HEADERS'],
    ['HTTPS twice', scgiBlock([...pairs, ['HTTPS', 'on'], ['HTTPS', 'off']]), 'HEADERS'],
    ['a NUL inside a value (it ends the value, and the pairs no longer pair)', Buffer.concat([validBlock, text('REMOTE_USER\0ad\0min\0')]), 'HEADERS'],
  ]
  for (const [what, block, rule] of cases) {
    it(`${what}: 400 DOVETAIL_ERR_SERVER_SCGI_${rule}`, async () => {
      const scgi = await scgiGateway()
      const res = await scgiExchange(scgi.port, [netstring(block)])
      expect(res.status).toBe(400)
      expect(res.body.toString()).toContain(`DOVETAIL_ERR_SERVER_SCGI_${rule}`)
      expect(scgi.seen.requests).toEqual([])
      expect(protocolLogged(scgi.logger)).toBe(true)
    })
  }

  it('takes what the spec allows: request headers (HTTP_*) repeated, as nginx sends them, and CONTENT_LENGTH "00"', async () => {
    const scgi = await scgiGateway()
    const repeated = await scgiExchange(scgi.port, [scgiRequest('GET', '/headers', '', [['HTTP_X_A', '1'], ['HTTP_X_A', '2']])])
    expect(repeated.status).toBe(200)
    expect(JSON.parse(repeated.body.toString())).toMatchObject({ 'x-a': '1, 2' })
    const zeros = await scgiExchange(scgi.port, [netstring(scgiBlock([['CONTENT_LENGTH', '00'], ...scgiPairs('GET', '/').slice(1)]))])
    expect(zeros.status).toBe(200)
    expect(scgi.seen.requests).toHaveLength(2)
  })
})

describe('SCGI: the body', () => {
  const post = (body: string, declared: number) =>
    Buffer.concat([netstring(scgiBlock(scgiPairs('POST', '/store', 'x'.repeat(declared), [['HTTP_ACCEPT', 'application/json']]))), text(body)])

  it('shorter than CONTENT_LENGTH, then the end of the connection: the read fails with 400 DOVETAIL_ERR_SERVER_BODY_LENGTH, nothing stored', async () => {
    const scgi = await scgiGateway()
    for (const [sent, declared] of [['', 10], ['abc', 10], ['x'.repeat(65_536), 65_537]] as const) {
      const res = await scgiExchange(scgi.port, [post(sent, declared)], { end: true })
      expect(res.status, `${sent.length} of ${declared} bytes`).toBe(400)
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'DOVETAIL_ERR_SERVER_BODY_LENGTH' } })
    }
    expect(scgi.seen.stored).toEqual([])
  })

  it('longer than CONTENT_LENGTH: the app reads exactly CONTENT_LENGTH bytes', async () => {
    const scgi = await scgiGateway()
    const res = await scgiExchange(scgi.port, [post('helloSMUGGLED', 5)], { end: true })
    expect(res.status).toBe(200)
    expect(scgi.seen.stored).toEqual(['hello'])
  })

  it('a response body failing after its head resets the connection, since an SCGI response ends where the connection does', async () => {
    const scgi = await scgiGateway()
    const res = await scgiExchange(scgi.port, [scgiRequest('GET', '/broken')])
    expect(res.reset).toBe(true)
  })
})

// ---------------------------------------------------------------------------------------------
// FastCGI
// ---------------------------------------------------------------------------------------------

async function fastcgiGateway(options: z.input<typeof fastcgiServerOptions> = {}) {
  const recorded = await recordingApp()
  const listening = await new FastCgiServer(fastcgiServerOptions.parse(options), recorded.logger).listen(recorded.handler, { port: 0, host: '127.0.0.1' })
  const clients: FastCgiClient[] = []
  cleanups.push(async () => {
    for (const c of clients) c.socket.destroy()
    recorded.release.open()
    await listening.close()
    await recorded.app.close()
  })
  const client = async () => {
    const c = await FastCgiClient.open(listening.port)
    clients.push(c)
    return c
  }
  return { ...recorded, port: listening.port, client }
}

const endRequests = (c: FastCgiClient, id: number) => c.records.filter((r) => r.requestId === id && r.type === RecordType.endRequest).length
const beginBody = (role = 1, flags = 1) => Buffer.from([role >> 8, role & 0xff, flags, 0, 0, 0, 0, 0])
const baseParams: Array<[string, string]> = [['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/'], ['SERVER_NAME', 'fcgi.test'], ['SERVER_PORT', '80']]

describe('FastCGI: one END_REQUEST per request; a BEGIN_REQUEST for an id in flight closes the connection', () => {
  it('while the app answers it: the connection closes, no END_REQUEST, the app not called again, the first request aborted', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    c.request(1, 'GET', '/hold')
    await within(fcgi.held.promise, 5000, 'the first request reaching its handler')
    c.request(1, 'GET', '/?second')
    await within(c.closed, 5000, 'the connection closing')
    expect(endRequests(c, 1)).toBe(0)
    expect(fcgi.seen.requests).toEqual(['http://fcgi.test/hold'])
    expect(protocolLogged(fcgi.logger)).toBe(true)
  })

  it('while its PARAMS arrive: the same, and the app never called', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    c.begin(1)
    c.send(encodeRecord(RecordType.params, 1, encodePairs(baseParams)))
    c.request(1, 'GET', '/')
    await within(c.closed, 5000, 'the connection closing')
    expect(endRequests(c, 1)).toBe(0)
    expect(fcgi.seen.requests).toEqual([])
  })

  it('while its STDIN arrives: the same, and nothing of either body stored', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    c.begin(1)
    c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/store'], ['SERVER_NAME', 'fcgi.test'], ['CONTENT_LENGTH', '5']])
    c.stdin(1, 'hel', false)
    c.request(1, 'POST', '/store', { body: 'other' })
    await within(c.closed, 5000, 'the connection closing')
    expect(endRequests(c, 1)).toBe(0)
    expect(fcgi.seen.requests).toEqual(['http://fcgi.test/store'])
    expect(fcgi.seen.stored).toEqual([])
  })

  it('an id whose END_REQUEST went out may be begun again, each answered once', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    let answered = 0
    for (let round = 0; round < 3; round++) {
      c.request(1, 'GET', '/')
      expect((await c.answer(1)).status).toBe(200)
      answered += endRequests(c, 1)
      c.records.length = 0
    }
    c.request(2, 'GET', '/')
    await c.answer(2)
    expect(answered + endRequests(c, 1)).toBe(3)
    expect(c.isClosed).toBe(false)
  })
})

describe('FastCGI: records the spec says to ignore, or to refuse with END_REQUEST', () => {
  it('ignores PARAMS, STDIN and ABORT_REQUEST for ids not in flight (never begun, or ended), and serves on', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    c.request(1, 'GET', '/')
    await c.answer(1)
    for (const id of [1, 9, 0xffff]) {
      c.send(encodeRecord(RecordType.params, id, encodePairs(baseParams)))
      c.send(encodeRecord(RecordType.params, id))
      c.send(encodeRecord(RecordType.stdin, id, text('data')))
      c.send(encodeRecord(RecordType.stdin, id))
      c.send(encodeRecord(RecordType.abortRequest, id))
    }
    c.request(2, 'GET', '/')
    expect((await c.answer(2)).status).toBe(200)
    expect(c.records.filter((r) => r.requestId === 9 || r.requestId === 0xffff)).toEqual([])
    expect(endRequests(c, 1)).toBe(1)
    expect(fcgi.seen.requests).toHaveLength(2)
  })

  it('answers a role other than RESPONDER with END_REQUEST FCGI_UNKNOWN_ROLE, ignores what follows for it, never calls the app', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    const roles = [0, 2, 3, 4, 0xffff]
    roles.forEach((role, i) => {
      c.send(encodeRecord(RecordType.beginRequest, i + 1, beginBody(role)))
      c.params(i + 1, baseParams)
      c.stdin(i + 1)
    })
    for (let i = 0; i < roles.length; i++) expect((await c.answer(i + 1)).protocolStatus, `role ${roles[i]}`).toBe(3)
    for (let i = 0; i < roles.length; i++) expect(endRequests(c, i + 1)).toBe(1)
    expect(fcgi.seen.requests).toEqual([])
    expect(c.isClosed).toBe(false)
  })

  it('answers FCGI_GET_VALUES (FCGI_MPXS_CONNS, FCGI_MAX_REQS) and any other management record with FCGI_UNKNOWN_TYPE naming it', async () => {
    const fcgi = await fastcgiGateway({ maxRequestsInFlight: 7 })
    const c = await fcgi.client()
    c.send(encodeRecord(RecordType.getValues, 0, encodePairs([['FCGI_MPXS_CONNS', ''], ['FCGI_MAX_REQS', ''], ['FCGI_MAX_CONNS', ''], ['__proto__', '']])))
    const values = await c.waitFor((r) => r.type === RecordType.getValuesResult)
    expect(decodePairs(values!.content)).toEqual([['FCGI_MPXS_CONNS', '1'], ['FCGI_MAX_REQS', '7']])
    for (const type of [0, 1, 2, 4, 5, 10, 12, 255]) {
      c.send(encodeRecord(type, 0, Buffer.alloc(0)))
      const unknown = await c.waitFor((r) => r.type === RecordType.unknownType && r.content[0] === type)
      expect(unknown, `type ${type}`).toBeDefined()
    }
    expect(c.isClosed).toBe(false)
  })

  it('refuses a BEGIN_REQUEST past maxRequestsInFlight with FCGI_OVERLOADED, without calling the app for it', async () => {
    const fcgi = await fastcgiGateway({ maxRequestsInFlight: 2 })
    const c = await fcgi.client()
    c.request(1, 'GET', '/hold')
    c.request(2, 'GET', '/hold')
    c.request(3, 'GET', '/')
    expect((await c.answer(3)).protocolStatus).toBe(2)
    expect(fcgi.seen.requests.filter((url) => url.endsWith('/hold'))).toHaveLength(2)
    expect(fcgi.seen.requests).toHaveLength(2)
    fcgi.release.open()
    expect((await c.answer(1)).body.toString()).toBe('released')
    expect((await c.answer(2)).body.toString()).toBe('released')
  })
})

describe('FastCGI: records that break the protocol close the connection, with no answer and nothing stored', () => {
  // The app is called for a request whose PARAMS ended before the breach (/hold, /store), never for one after it.
  const violations: Array<[string, (c: FastCgiClient) => void]> = [
    ...[0, 2, 255].map((version): [string, (c: FastCgiClient) => void] => [
      `a record of version ${version}`,
      (c) => c.send(Buffer.from([version, RecordType.beginRequest, 0, 1, 0, 8, 0, 0, ...beginBody()])),
    ]),
    ...[0, 7, 9, 16].map((length): [string, (c: FastCgiClient) => void] => [
      `a BEGIN_REQUEST body of ${length} bytes`,
      (c) => c.send(encodeRecord(RecordType.beginRequest, 1, Buffer.concat([beginBody(), Buffer.alloc(8)]).subarray(0, length))),
    ]),
    ...[3, 6, 7, 8, 9, 10, 11, 12, 200].map((type): [string, (c: FastCgiClient) => void] => [
      `a record of type ${type} for a request in flight`,
      (c) => {
        c.begin(1)
        c.send(encodeRecord(type, 1, text('x')))
      },
    ]),
    [
      'PARAMS after the end of PARAMS',
      (c) => {
        c.begin(1)
        c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/store'], ['CONTENT_LENGTH', '5']])
        c.send(encodeRecord(RecordType.params, 1, encodePairs([['REQUEST_URI', '/admin']])))
      },
    ],
    [
      'STDIN before the end of PARAMS',
      (c) => {
        c.begin(1)
        c.send(encodeRecord(RecordType.params, 1, encodePairs([['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/store'], ['CONTENT_LENGTH', '5']])))
        c.stdin(1, 'hello')
      },
    ],
    [
      'STDIN after the end of STDIN, for a request still in flight',
      (c) => {
        c.request(1, 'GET', '/hold')
        c.stdin(1, 'more')
      },
    ],
  ]
  for (const [what, send] of violations) {
    it(what, async () => {
      const fcgi = await fastcgiGateway()
      const c = await fcgi.client()
      send(c)
      await within(c.closed, 5000, 'the connection closing')
      expect(c.records.filter((r) => r.type === RecordType.endRequest || r.type === RecordType.stdout)).toEqual([])
      expect(fcgi.seen.requests.filter((url) => !/\/(hold|store)$/.test(url))).toEqual([])
      expect(fcgi.seen.stored).toEqual([])
      expect(protocolLogged(fcgi.logger)).toBe(true)
    })
  }
})

describe('FastCGI: the name-value pairs of PARAMS (lengths of 1 or 4 bytes)', () => {
  const pair = (name: string, value: string) => encodePairs([[name, value]])
  const malformed: Array<[string, Buffer]> = [
    ['a name length running past the end', Buffer.concat([Buffer.from([5, 1]), text('ab')])],
    ['a value length running past the end', Buffer.concat([Buffer.from([1, 9]), text('ab')])],
    ['a 4-byte name length cut short', Buffer.from([0x80, 0x00])],
    ['a 4-byte value length cut short', Buffer.from([1, 0x80, 0x00, 0x01])],
    ['a 4-byte length of 2^31 - 1', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, ...text('x')])],
    ['a 4-byte length of 128 with one byte behind it', Buffer.from([0x80, 0, 0, 0x80, 0, ...text('x')])],
    ['an empty name', Buffer.concat([Buffer.from([0, 1]), text('v')])],
    ['a name length and nothing else', Buffer.from([3])],
  ]
  for (const [what, bytes] of malformed) {
    it(`${what}: the connection closes, the app not called`, async () => {
      const fcgi = await fastcgiGateway()
      const c = await fcgi.client()
      c.begin(1)
      c.send(encodeRecord(RecordType.params, 1, Buffer.concat([encodePairs(baseParams), bytes])))
      c.send(encodeRecord(RecordType.params, 1))
      await within(c.closed, 5000, 'the connection closing')
      expect(endRequests(c, 1)).toBe(0)
      expect(fcgi.seen.requests).toEqual([])
    })
  }

  it('takes what the spec allows: a length in 4 bytes though under 128, and pairs split across records at any byte', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    const long = Buffer.concat([Buffer.from([0x80, 0, 0, 10, 0x80, 0, 0, 1]), text('HTTP_X_ONE'), text('1')])
    const stream = Buffer.concat([encodePairs(baseParams.map(([n, v]): [string, string] => [n, n === 'REQUEST_URI' ? '/headers' : v])), long, pair('HTTP_X_TWO', 'y'.repeat(300))])
    for (let cut = 1; cut < stream.length; cut += 7) {
      c.begin(1)
      c.send(encodeRecord(RecordType.params, 1, stream.subarray(0, cut)))
      c.send(encodeRecord(RecordType.params, 1, stream.subarray(cut)))
      c.send(encodeRecord(RecordType.params, 1))
      c.stdin(1)
      const answer = await c.answer(1)
      expect(answer.status, `cut at ${cut}`).toBe(200)
      expect(JSON.parse(answer.body.toString())).toMatchObject({ 'x-one': '1', 'x-two': 'y'.repeat(300) })
      c.records.length = 0
    }
  })

  it('answers 431 to a PARAMS stream over maxHeaderSize sent in many small records, and calls no app', async () => {
    const fcgi = await fastcgiGateway({ maxHeaderSize: 2048 })
    const c = await fcgi.client()
    c.begin(1)
    const stream = Buffer.concat([encodePairs(baseParams), pair('HTTP_X_PAD', 'p'.repeat(4000))])
    for (let at = 0; at < stream.length; at += 3) c.send(encodeRecord(RecordType.params, 1, stream.subarray(at, at + 3)))
    c.send(encodeRecord(RecordType.params, 1))
    c.stdin(1)
    expect((await c.answer(1)).status).toBe(431)
    expect(fcgi.seen.requests).toEqual([])
  })
})

describe('FastCGI: STDIN against CONTENT_LENGTH', () => {
  const post = (c: FastCgiClient, declared: number, records: string[]) => {
    c.begin(1)
    c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/store'], ['SERVER_NAME', 'fcgi.test'], ['CONTENT_LENGTH', String(declared)], ['HTTP_ACCEPT', 'application/json']])
    for (const record of records) c.send(encodeRecord(RecordType.stdin, 1, text(record)))
    c.stdin(1)
  }

  for (const [what, declared, records] of [
    ['shorter', 10, ['abc']],
    ['empty', 4, []],
    ['longer, in one record', 3, ['abcdef']],
    ['longer, by a second record', 3, ['abc', 'd']],
  ] as const) {
    it(`${what}: 400 DOVETAIL_ERR_SERVER_BODY_LENGTH, one END_REQUEST, nothing stored`, async () => {
      const fcgi = await fastcgiGateway()
      const c = await fcgi.client()
      post(c, declared, [...records])
      const answer = await c.answer(1)
      expect(answer.status).toBe(400)
      expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { code: 'DOVETAIL_ERR_SERVER_BODY_LENGTH' } })
      expect(fcgi.seen.stored).toEqual([])
      expect(endRequests(c, 1)).toBe(1)
    })
  }

  it('exactly CONTENT_LENGTH, over records with the most padding a record can have: stored whole', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    c.begin(1)
    c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/store'], ['SERVER_NAME', 'fcgi.test'], ['CONTENT_LENGTH', '65540']])
    const padded = (content: Buffer) => {
      const record = Buffer.concat([encodeRecord(RecordType.stdin, 1, content).subarray(0, 8 + content.length), Buffer.alloc(255)])
      record[6] = 255
      return record
    }
    c.send(padded(Buffer.alloc(65_535, 'a')))
    c.send(padded(text('bcdef')))
    c.stdin(1)
    expect((await c.answer(1)).body.toString()).toBe('stored 65540')
    expect(fcgi.seen.stored.map((s) => s.length)).toEqual([65_540])
  })
})

// ---------------------------------------------------------------------------------------------
// CGI
// ---------------------------------------------------------------------------------------------

const cgiEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  GATEWAY_INTERFACE: 'CGI/1.1',
  REQUEST_METHOD: 'GET',
  REQUEST_URI: '/',
  SERVER_NAME: 'cgi.test',
  SERVER_PORT: '80',
  ...extra,
})

/** One CGI request in process: the environment and stdin given, what was written to stdout parsed. */
async function cgiExchange(handler: FetchHandler, env: NodeJS.ProcessEnv, stdin = '') {
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (c: Buffer) => chunks.push(c))
  await serveCgi(handler, { env, stdin: Readable.from([Buffer.from(stdin)]), stdout, logger: recordingLogger() })
  return parseCgiResponse(Buffer.concat(chunks))
}

describe('CGI: stdin and the response body', () => {
  it('stdin shorter than CONTENT_LENGTH: the read fails with 400 DOVETAIL_ERR_SERVER_BODY_LENGTH, nothing stored', async () => {
    const { app, handler, seen } = await recordingApp()
    cleanups.push(() => app.close())
    for (const [sent, declared] of [['', 1], ['abc', 10]] as const) {
      const env = cgiEnv({ REQUEST_METHOD: 'POST', REQUEST_URI: '/store', CONTENT_LENGTH: String(declared), HTTP_ACCEPT: 'application/json' })
      const res = await cgiExchange(handler, env, sent)
      expect(res.status).toBe(400)
      expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'DOVETAIL_ERR_SERVER_BODY_LENGTH' } })
    }
    expect(seen.stored).toEqual([])
  })

  it('a body failing before its first byte is answered 500, not a 200 head with nothing after it', async () => {
    const res = await cgiExchange(() => new Response(new ReadableStream({ pull: (controller) => controller.error(new Error('gone')) })), cgiEnv())
    expect(res.status).toBe(500)
    expect(res.body.toString()).toBe('Internal Server Error')
  })

  // Each run starts node on the compiled CGI entry (test/support/cgi-entry.ts): about 1 s of CPU with the compile shared.
  it('a body failing after its head: the CGI program exits with status 1 and says why on stderr (the web server cannot be told otherwise)', { timeout: 60_000 }, async () => {
    const compiled = await compiledCheckout()
    const folder = mkdtempSync(join(tmpdir(), 'dovetail-cgi-exit-'))
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }))
    const run = (uri: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['dist/test/support/cgi-entry.js'], {
          cwd: compiled,
          env: { PATH: process.env.PATH, NODE_ENV: 'test', DOVETAIL_TEST_KIT_FOLDER: folder, ...cgiEnv({ REQUEST_URI: uri }) },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        let stdout = ''
        let stderr = ''
        child.stdout.on('data', (c: Buffer) => (stdout += c))
        child.stderr.on('data', (c: Buffer) => (stderr += c))
        child.once('error', reject)
        child.once('close', (code) => resolve({ code, stdout, stderr }))
      })
    const broken = await run('/fails-after-head')
    expect(broken.code).toBe(1)
    expect(broken.stdout).toMatch(/^Status: 200 OK\r\n[\s\S]*\r\n\r\npartial;$/)
    expect(broken.stderr).toContain('the response body failed after its head was sent')
    const early = await run('/fails-before-first-byte')
    expect(early.code).toBe(0)
    expect(parseCgiResponse(Buffer.from(early.stdout)).status).toBe(500)
  })
})

// ---------------------------------------------------------------------------------------------
// Control characters and NUL in the path variables, through every gateway
// ---------------------------------------------------------------------------------------------

const controls = ['\0', '\t', '\n', '\r', '\x01', '\x08', '\x0b', '\x1b', '\x1f', '\x7f']
/** Each path variable, with `c` at its start, in its middle and at its end (REQUEST_URI must start with '/'). */
const tainted = (c: string): Array<[string, string]> => [
  ['REQUEST_URI', `/a${c}b`],
  ['REQUEST_URI', `/${c}`],
  ['REQUEST_URI', `/?q=${c}`],
  ['SCRIPT_NAME', `${c}/app.cgi`],
  ['SCRIPT_NAME', `/app${c}.cgi`],
  ['PATH_INFO', `/p${c}`],
  ['PATH_INFO', `${c}/p`],
  ['QUERY_STRING', `q=${c}`],
  ['QUERY_STRING', `${c}`],
]
const show = (value: string) => JSON.stringify(value)

describe('control characters and NUL in REQUEST_URI, SCRIPT_NAME, PATH_INFO, QUERY_STRING: 400 before the app runs, through every gateway', () => {
  it('SCGI', async () => {
    const scgi = await scgiGateway()
    for (const c of controls) {
      for (const [name, value] of tainted(c)) {
        const base = scgiPairs('GET', '/').filter(([n]) => n !== name)
        const res = await scgiExchange(scgi.port, [netstring(scgiBlock([...base, [name, value]]))])
        expect(res.status, `${name}=${show(value)}`).toBe(400)
        // A NUL ends an SCGI value: the block no longer pairs up, which is refused before the path is looked at.
        expect(res.body.toString()).toContain(c === '\0' ? 'DOVETAIL_ERR_SERVER_SCGI_' : 'DOVETAIL_ERR_SERVER_CONTROL_CHARACTER')
      }
    }
    expect(scgi.seen.requests).toEqual([])
  })

  it('FastCGI', async () => {
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    for (const control of controls) {
      for (const [name, value] of tainted(control)) {
        c.begin(1)
        c.params(1, [...baseParams.filter(([n]) => n !== name), [name, value]])
        c.stdin(1)
        const answer = await c.answer(1)
        expect(answer.status, `${name}=${show(value)}`).toBe(400)
        expect(answer.body.toString()).toContain('DOVETAIL_ERR_SERVER_CONTROL_CHARACTER')
        c.records.length = 0
      }
    }
    expect(fcgi.seen.requests).toEqual([])
  })

  it('CGI', async () => {
    const { app, handler, seen } = await recordingApp()
    cleanups.push(() => app.close())
    for (const c of controls) {
      for (const [name, value] of tainted(c)) {
        const res = await cgiExchange(handler, { ...cgiEnv(), [name]: value })
        expect(res.status, `${name}=${show(value)}`).toBe(400)
        expect(res.body.toString()).toContain('DOVETAIL_ERR_SERVER_CONTROL_CHARACTER')
      }
    }
    expect(seen.requests).toEqual([])
  })

  it('lets through what is not a control character: percent-encoded ones, and non-ASCII text', async () => {
    const scgi = await scgiGateway()
    const fcgi = await fastcgiGateway()
    const c = await fcgi.client()
    for (const target of ['/?q=%00', '/?q=%0A%0D', '/?q=é', '/?q=\u0085']) {
      expect((await scgiExchange(scgi.port, [scgiRequest('GET', target)])).status, `SCGI ${target}`).toBe(200)
      c.request(1, 'GET', target)
      expect((await c.answer(1)).status, `FastCGI ${target}`).toBe(200)
      c.records.length = 0
    }
    expect(scgi.seen.requests).toHaveLength(4)
    expect(fcgi.seen.requests).toHaveLength(4)
  })
})
