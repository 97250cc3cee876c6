import fc from 'fast-check'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, Logger } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import scgi from 'dovetailjs/components/server/scgi'
import { cgiRequest, cgiUrl, isValidHost } from 'dovetailjs/server-kit'
import { parseCgiResponse } from '../support/fastcgi-client.js'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'
import { within } from '../support/gateway-wait.js'
import { openSocket, rawRequest } from '../support/raw-http.js'
import { recordingLogger } from '../support/recording-logger.js'

// Class 1 of the review, the Host half: the Host header goes into the request's
// URL, so a Host with `/`, `?`, `#`, `@`, `\`, spaces or control characters
// changed the path and query `new URL(ctx.request.url)` reports while the
// router matched another. Now a Host that is not RFC 3986 host[:port] is
// answered 400 (node: and the connection closed; SCGI/FastCGI/CGI: by the
// adapter) and no handler runs.

/** Host values that are not host[:port]: each must be refused. */
const badHosts = [
  'x/admin',
  'x/admin?',
  'x?q=1',
  'x#frag',
  'user@x',
  'x@evil.example',
  'x\\admin',
  'x y',
  '',
  ':80',
  'x:99999',
  'x:8a',
  'x:-1',
  '::1',
  '[::1',
  '[::1]x',
  '[fe80::1%25eth0]',
  '[v1.future]',
  '[1.2.3.4]',
  '1.2.3',
  '999.1.1.1',
  '01.2.3.4',
  'example.123',
  'example.0x1f',
  'xn--zz',
  '%41dmin',
  'x%2Fadmin',
  'caf\u00e9.example',
  'x<y',
  'x|y',
  'x^y',
  'x"y',
]

/** Host values that are host[:port]: each must pass, the URL keeping the path node read. */
const goodHosts = [
  'localhost',
  'example.com',
  'EXAMPLE.com.',
  'example.com:8080',
  'example.com:',
  'a_b-c.example',
  '127.0.0.1',
  '127.0.0.1:3000',
  '[::1]',
  '[::1]:3000',
  '[2001:db8::1]:443',
  '[::ffff:192.0.2.7]',
  'xn--bcher-kva.example',
  '1.example',
]

describe('isValidHost (dovetailjs/server-kit)', () => {
  it.each(badHosts)('refuses %j', (host) => {
    expect(isValidHost(host)).toBe(false)
  })

  it.each(goodHosts)('accepts %j', (host) => {
    expect(isValidHost(host)).toBe(true)
  })

  it(
    'accepts only hosts that leave the path and query of a URL as they were',
    () => {
      const hostish = fc.string({ unit: fc.constantFrom(...'aZ09.-_~:[]@/?#\\%!$&\'()*+,;= xn-\u00e9\u0000f'.split('')), maxLength: 24 })
      fc.assert(
        fc.property(hostish, (host) => {
          if (!isValidHost(host)) return
          const url = new URL(`http://${host}/p/a?q=1`)
          expect(url.pathname).toBe('/p/a')
          expect(url.search).toBe('?q=1')
          expect(url.username + url.password).toBe('')
        }),
        fuzzParameters(),
      )
    },
    fuzzTimeout(),
  )
})

describe('host: the node server refuses a malformed Host with 400 and closes the connection', () => {
  let app: App
  let port: number
  let ran = 0
  beforeAll(async () => {
    app = await createApp({
      environment: 'test',
      components: { server: node({ trustProxy: false }) },
      routes: (r) =>
        r.get('/where', (ctx) => {
          ran++
          const url = new URL(ctx.request.url)
          return ctx.json({ host: url.host, path: url.pathname, search: url.search })
        }),
    })
    port = (await app.listen({ port: 0 })).port
  })
  afterAll(() => app.close())
  beforeEach(() => {
    ran = 0
  })

  // Node's own parser already refuses control characters in a header value; the rest reach the adapter.
  it.each([...badHosts, 'x\u0001y', 'x\u007fy'])('Host: %j answers 400, closes the connection, and runs no handler', async (host) => {
    // Without Connection: close, so that the close is the server's doing.
    const res = await rawRequest(port, `GET /where?q=1 HTTP/1.1\r\nHost: ${host}\r\n\r\n`)
    expect(res.status).toBe(400)
    expect(res.body).not.toContain('"path"')
    expect(ran).toBe(0)
  })

  it.each(goodHosts)('Host: %j is served, the URL keeping the path and query node read', async (host) => {
    const res = await rawRequest(port, `GET /where?q=1 HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({ path: '/where', search: '?q=1' })
    expect(ran).toBe(1)
  })

  it('refuses two Host headers with 400', async () => {
    const res = await rawRequest(port, 'GET /where HTTP/1.1\r\nHost: example.com\r\nHost: evil.example\r\n\r\n')
    expect(res.status).toBe(400)
    expect(ran).toBe(0)
  })

  it('takes the host of an absolute-form target and ignores the Host header (RFC 9112 §3.2.2)', async () => {
    const res = await rawRequest(port, 'GET http://example.com:8080/where?q=1 HTTP/1.1\r\nHost: other.example\r\nConnection: close\r\n\r\n')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ host: 'example.com:8080', path: '/where', search: '?q=1' })
  })

  it('refuses an absolute-form target whose authority is not host[:port], and the asterisk form', async () => {
    for (const line of ['GET http://user@example.com/where HTTP/1.1', 'GET http://x\\y/where HTTP/1.1', 'GET ftp://example.com/where HTTP/1.1', 'OPTIONS * HTTP/1.1']) {
      const res = await rawRequest(port, `${line}\r\nHost: example.com\r\n\r\n`)
      expect(res.status, line).toBe(400)
    }
    expect(ran).toBe(0)
  })

  it('ignores X-Forwarded-Host when trustProxy is off, however malformed', async () => {
    const res = await rawRequest(port, 'GET /where HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-Host: x/admin?\r\nConnection: close\r\n\r\n')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ host: 'example.com', path: '/where', search: '' })
  })
})

describe('host: behind a trusted proxy, X-Forwarded-Host and X-Forwarded-Proto are checked the same way', () => {
  let app: App
  let port: number
  let ran = 0
  beforeAll(async () => {
    app = await createApp({
      environment: 'test',
      components: { server: node({ trustProxy: true }) },
      routes: (r) => r.get('/where', (ctx) => (ran++, ctx.json({ url: ctx.request.url }))),
    })
    port = (await app.listen({ port: 0 })).port
  })
  afterAll(() => app.close())

  it('refuses a malformed X-Forwarded-Host or an X-Forwarded-Proto other than http(s) with 400', async () => {
    for (const header of ['X-Forwarded-Host: x/admin?', 'X-Forwarded-Host: user@x', 'X-Forwarded-Proto: javascript', 'X-Forwarded-Proto: file']) {
      const res = await rawRequest(port, `GET /where HTTP/1.1\r\nHost: example.com\r\n${header}\r\n\r\n`)
      expect(res.status, header).toBe(400)
    }
    expect(ran).toBe(0)
  })

  it('uses a well-formed forwarded host and scheme', async () => {
    const res = await rawRequest(port, 'GET /where HTTP/1.1\r\nHost: 10.0.0.2\r\nX-Forwarded-Host: www.example.com\r\nX-Forwarded-Proto: https\r\nConnection: close\r\n\r\n')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ url: 'https://www.example.com/where' })
  })
})

describe('host: the CGI family builds its URL through the same check', () => {
  it.each(badHosts.filter((h) => h !== ''))('cgiUrl and cgiRequest refuse HTTP_HOST %j with a TypeError (the adapters answer 400)', (host) => {
    expect(() => cgiUrl({ REQUEST_URI: '/where' }, host)).toThrow(TypeError)
    expect(() => cgiRequest([['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/where'], ['HTTP_HOST', host]], { body: null })).toThrow(TypeError)
  })

  it('refuses SERVER_NAME and SERVER_PORT that make no host[:port] when there is no Host header', () => {
    expect(() => cgiUrl({ REQUEST_URI: '/where', SERVER_NAME: 'x/admin?', SERVER_PORT: '80' }, undefined)).toThrow(TypeError)
    expect(() => cgiUrl({ REQUEST_URI: '/where', SERVER_NAME: 'example.com', SERVER_PORT: '8a' }, undefined)).toThrow(TypeError)
  })

  it.each(goodHosts)('cgiRequest builds the URL of HTTP_HOST %j with the path it was given', (host) => {
    const request = cgiRequest([['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/where?q=1'], ['HTTP_HOST', host]], { body: null })
    const url = new URL(request.url)
    expect(url.pathname).toBe('/where')
    expect(url.search).toBe('?q=1')
  })

  describe('through the SCGI adapter', () => {
    let app: App
    let port: number
    let ran = 0
    beforeAll(async () => {
      const routes: DovetailConfig['routes'] = (r) => r.get('/where', (ctx) => (ran++, ctx.json({ url: ctx.request.url })))
      app = await createApp({ environment: 'test', components: { server: scgi() }, routes, register: (c) => c.value(Logger, recordingLogger()) })
      port = (await app.listen({ port: 0 })).port
    })
    afterAll(() => app.close())

    /** One SCGI request (netstring of variables, CONTENT_LENGTH first), answered and closed by the server. */
    async function exchange(host: string) {
      const pairs = [['CONTENT_LENGTH', '0'], ['SCGI', '1'], ['REQUEST_METHOD', 'GET'], ['REQUEST_URI', '/where'], ['SERVER_NAME', 'scgi.test'], ['SERVER_PORT', '80'], ['HTTP_HOST', host]]
      const block = Buffer.from(pairs.map(([n, v]) => `${n}\0${v}\0`).join(''), 'utf8')
      const socket = await openSocket(port)
      const chunks: Buffer[] = []
      socket.on('data', (c: Buffer) => chunks.push(c))
      socket.on('error', () => {})
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
      socket.write(Buffer.concat([Buffer.from(`${block.length}:`), block, Buffer.from(',')]))
      await within(closed, 5000, 'the server closing the connection')
      return parseCgiResponse(Buffer.concat(chunks))
    }

    it('answers 400 to a malformed Host and runs no handler', async () => {
      for (const host of ['x/admin?', 'user@x', 'x#y']) {
        const res = await exchange(host)
        expect(res.status, host).toBe(400)
      }
      expect(ran).toBe(0)
    })

    it('serves a well-formed Host', async () => {
      const res = await exchange('example.com:8080')
      expect(res.status).toBe(200)
      expect(JSON.parse(res.body.toString())).toEqual({ url: 'http://example.com:8080/where' })
    })
  })
})
