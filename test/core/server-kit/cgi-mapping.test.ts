import { describe, expect, it } from 'vitest'
import { clientAddress, lightResponse } from 'dovetailjs'
import { cgiRequest, cgiResponseParts, type CgiParams } from 'dovetailjs/server-kit'

const base: CgiParams = [
  ['GATEWAY_INTERFACE', 'CGI/1.1'],
  ['REQUEST_METHOD', 'GET'],
  ['SERVER_NAME', 'example.test'],
  ['SERVER_PORT', '80'],
]
const request = (params: CgiParams, init: Partial<Parameters<typeof cgiRequest>[1]> = {}) => cgiRequest([...base, ...params], { body: null, ...init })

describe('cgiRequest: the URL', () => {
  it('takes the path and query from REQUEST_URI as sent, still encoded', () => {
    expect(request([['REQUEST_URI', '/a%20b/c?x=%2F&y']]).url).toBe('http://example.test/a%20b/c?x=%2F&y')
  })

  it('without REQUEST_URI, rebuilds the target from SCRIPT_NAME, PATH_INFO (encoded again) and QUERY_STRING', () => {
    const req = request([['SCRIPT_NAME', '/cgi-bin/app.cgi'], ['PATH_INFO', '/a b/ü?#'], ['QUERY_STRING', 'q=1']])
    expect(req.url).toBe('http://example.test/cgi-bin/app.cgi/a%20b/%C3%BC%3F%23?q=1')
  })

  it('with stripScriptName, routes on PATH_INFO: the script name leaves the path, with or without REQUEST_URI', () => {
    const params: CgiParams = [['SCRIPT_NAME', '/cgi-bin/app.cgi'], ['PATH_INFO', '/users/7'], ['QUERY_STRING', 'a=1']]
    expect(request([...params, ['REQUEST_URI', '/cgi-bin/app.cgi/users/7?a=1']], { stripScriptName: true }).url).toBe('http://example.test/users/7?a=1')
    expect(request(params, { stripScriptName: true }).url).toBe('http://example.test/users/7?a=1')
    expect(request([['SCRIPT_NAME', '/cgi-bin/app.cgi'], ['REQUEST_URI', '/cgi-bin/app.cgi']], { stripScriptName: true }).url).toBe('http://example.test/')
  })

  it('does not strip a script name that is only a prefix of a path segment', () => {
    expect(request([['SCRIPT_NAME', '/app'], ['REQUEST_URI', '/apple/pie']], { stripScriptName: true }).url).toBe('http://example.test/apple/pie')
  })

  it('uses https when HTTPS is on (or REQUEST_SCHEME says so)', () => {
    expect(request([['HTTPS', 'on'], ['REQUEST_URI', '/'], ['SERVER_PORT', '443']]).url).toBe('https://example.test/')
    expect(request([['REQUEST_SCHEME', 'https'], ['REQUEST_URI', '/']]).url).toBe('https://example.test:80/')
    expect(request([['HTTPS', 'off'], ['REQUEST_URI', '/']]).url).toBe('http://example.test/')
  })

  it('takes the host from the Host header, else SERVER_NAME with a port that is not the default', () => {
    expect(request([['HTTP_HOST', 'public.example:8080'], ['REQUEST_URI', '/']]).url).toBe('http://public.example:8080/')
    expect(request([['SERVER_PORT', '8443'], ['REQUEST_URI', '/']]).url).toBe('http://example.test:8443/')
    // A config that redefines HTTP_HOST after including the defaults means to replace it.
    expect(request([['HTTP_HOST', 'first'], ['HTTP_HOST', 'second:81'], ['REQUEST_URI', '/']]).url).toBe('http://second:81/')
  })

  it('throws a TypeError for variables that make no URL (the adapters answer 400)', () => {
    expect(() => request([['HTTP_HOST', 'bad host'], ['REQUEST_URI', '/']])).toThrow(TypeError)
  })
})

describe('cgiRequest: method, headers, body and client address', () => {
  it('turns HTTP_* into headers, repeated ones appended and Cookie joined with "; "', () => {
    const req = request([
      ['REQUEST_URI', '/'],
      ['HTTP_X_FORWARDED_FOR', '192.0.2.1'],
      ['HTTP_ACCEPT', 'text/html'],
      ['HTTP_ACCEPT', 'application/json'],
      ['HTTP_COOKIE', 'a=1'],
      ['HTTP_COOKIE', 'b=2'],
      ['DOCUMENT_ROOT', '/srv/www'],
    ])
    expect(req.headers.get('x-forwarded-for')).toBe('192.0.2.1')
    expect(req.headers.get('accept')).toBe('text/html, application/json')
    expect(req.headers.get('cookie')).toBe('a=1; b=2')
    expect(req.headers.has('document-root')).toBe(false)
  })

  it('takes Content-Type and Content-Length from CONTENT_TYPE and CONTENT_LENGTH, not from HTTP_ duplicates', () => {
    const req = request([
      ['REQUEST_METHOD', 'POST'],
      ['REQUEST_URI', '/'],
      ['CONTENT_TYPE', 'application/json'],
      ['CONTENT_LENGTH', '2'],
      ['HTTP_CONTENT_TYPE', 'text/plain'],
      ['HTTP_CONTENT_LENGTH', '2'],
    ])
    expect(req.method).toBe('POST')
    expect(req.headers.get('content-type')).toBe('application/json')
    expect(req.headers.get('content-length')).toBe('2')
  })

  it('passes a body for POST and none for GET, and records REMOTE_ADDR as the client address', async () => {
    const body = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('payload')), c.close()) })
    const post = request([['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/'], ['REMOTE_ADDR', '203.0.113.9']], { body: body() })
    expect(await post.text()).toBe('payload')
    expect(clientAddress(post)).toBe('203.0.113.9')
    expect(request([['REQUEST_URI', '/']], { body: body() }).body).toBeNull()
  })
})

describe('cgiResponseParts', () => {
  const text = (b: Buffer) => b.toString('latin1')

  it('starts with Status and its reason phrase, puts each Set-Cookie on its own line and drops a Status header', () => {
    const headers = new Headers([['location', '/next'], ['set-cookie', 'a=1'], ['set-cookie', 'b=2, c'], ['status', '200']])
    const { head, stream } = cgiResponseParts(new Response(null, { status: 302, headers }), 'GET')
    expect(text(head)).toBe('Status: 302 Found\r\nlocation: /next\r\nset-cookie: a=1\r\nset-cookie: b=2, c\r\n\r\n')
    expect(stream).toBeNull()
  })

  it('writes a body in memory with its Content-Length, and none for HEAD', () => {
    const get = cgiResponseParts(lightResponse('héllo', 200, { 'content-type': 'text/plain' }), 'GET')
    expect(text(get.head)).toBe('Status: 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 6\r\n\r\n')
    expect(Buffer.from(get.body!).toString()).toBe('héllo')
    expect(cgiResponseParts(lightResponse('héllo', 200, {}), 'HEAD').body).toBeNull()
  })

  it('hands over a streamed body, and cancels it for HEAD', async () => {
    let cancelled = false
    const streamed = () => new Response(new ReadableStream({ pull: (c) => c.enqueue(new Uint8Array([1])), cancel: () => void (cancelled = true) }))
    expect(cgiResponseParts(streamed(), 'GET').stream).not.toBeNull()
    expect(cgiResponseParts(streamed(), 'HEAD').stream).toBeNull()
    await Promise.resolve()
    expect(cancelled).toBe(true)
  })
})

describe('cgiRequest: a full Request, built as far as it is read', () => {
  const params: CgiParams = [['REQUEST_METHOD', 'PUT'], ['REQUEST_URI', '/copy?x=1'], ['HTTP_X_A', 'alpha'], ['CONTENT_TYPE', 'text/plain']]
  const body = () => new ReadableStream<Uint8Array>({ start: (c) => (c.enqueue(new TextEncoder().encode('payload')), c.close()) })

  it('is instanceof Request and can be copied with new Request(request, init), body included', async () => {
    const req = request(params, { body: body() })
    expect(req).toBeInstanceOf(Request)
    const copy = new Request(req, { headers: { 'x-added': 'yes' } })
    expect({ method: copy.method, url: copy.url, added: copy.headers.get('x-added'), body: await copy.text() }).toEqual({
      method: 'PUT',
      url: 'http://example.test/copy?x=1',
      added: 'yes',
      body: 'payload',
    })
  })

  it('answers method, url and headers before the rest, and the same after', async () => {
    const req = request(params, { body: body() })
    expect([req.method, req.url, req.headers.get('x-a')]).toEqual(['PUT', 'http://example.test/copy?x=1', 'alpha'])
    expect(await req.text()).toBe('payload')
    expect([req.method, req.url, req.headers.get('content-type'), req.bodyUsed]).toEqual(['PUT', 'http://example.test/copy?x=1', 'text/plain', true])
  })

  it('has the url a real Request would have: normalized and percent-encoded', () => {
    expect(request([['REQUEST_URI', '/a/../b/ü c'], ['HTTP_HOST', 'Example.TEST:80']]).url).toBe('http://example.test/b/%C3%BC%20c')
  })

  it('aborts request.signal when the adapter hears the web server go, before or after the signal is read', () => {
    const hangups: Array<(reason: unknown) => void> = []
    const onAbort = (listener: (reason: unknown) => void) => void hangups.push(listener)
    const early = request([['REQUEST_URI', '/']], { onAbort })
    const signal = early.signal
    expect(signal.aborted).toBe(false)
    for (const hangup of hangups.splice(0)) hangup(new Error('gone'))
    expect(signal.aborted).toBe(true)

    const controller = new AbortController()
    controller.abort(new Error('already gone'))
    expect(request([['REQUEST_URI', '/']], { signal: controller.signal }).signal.aborted).toBe(true)
  })

  it('refuses a method that is no HTTP token', () => {
    expect(() => request([['REQUEST_METHOD', 'GET /x'], ['REQUEST_URI', '/']])).toThrow(TypeError)
  })
})
