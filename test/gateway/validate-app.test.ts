import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, type FetchHandler, lightResponse, Logger } from 'dovetailjs'
import { GatewayContractError, validateApp } from 'dovetailjs/testing'
import { recordingLogger } from '../support/recording-logger.js'

const get = (path = '/', init?: RequestInit) => new Request(`http://localhost${path}`, init)
const encoder = new TextEncoder()

/** Read a response body the way a server does: through `response.body`, chunk by chunk. */
async function readAsServer(response: Response): Promise<string> {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += decoder.decode(chunk.value, { stream: true })
  return text + decoder.decode()
}

/** The breach the validated handler threw, checked to be one (with the app's code). */
async function breachOf(promise: Promise<unknown>): Promise<GatewayContractError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(GatewayContractError)
  expect(error).toBeInstanceOf(DovetailError)
  expect(error).toMatchObject({ side: 'app', code: 'DOVETAIL_ERR_GATEWAY_APP_CONTRACT' })
  return error as GatewayContractError
}

describe('validateApp: a correct app passes', () => {
  it('answers as it would without the validator, and records nothing', async () => {
    const app = await createApp({
      environment: 'production',
      register: (c) => c.value(Logger, recordingLogger()),
      routes(r) {
        r.get('/text', (ctx) => ctx.text('héllo', { headers: { 'x-answer': '42' } }))
        r.get('/stream', () => new Response(new ReadableStream({ start: (c) => (c.enqueue(encoder.encode('one ')), c.enqueue(encoder.encode('two')), c.close()) })))
        r.post('/echo', async (ctx) => ctx.json({ got: await ctx.request.text() }))
        r.get('/redirect', () => Response.redirect('http://localhost/text', 302))
        r.get('/boom', () => {
          throw new Error('boom')
        })
      },
    })
    const checked = validateApp(app)
    const text = await checked(get('/text'))
    expect([text.status, text.headers.get('x-answer'), await readAsServer(text)]).toEqual([200, '42', 'héllo'])
    expect(await readAsServer(await checked(get('/stream')))).toBe('one two')
    // A server may look at the body, then read it whole: the validator's stand-in must not have locked it.
    const looked = await checked(get('/stream'))
    expect(looked.body).not.toBeNull()
    expect(await looked.text()).toBe('one two')
    expect(await (await checked(get('/echo', { method: 'POST', body: 'ping' }))).json()).toEqual({ got: 'ping' })
    const head = await checked(get('/text', { method: 'HEAD' }))
    expect([head.status, head.body]).toEqual([200, null])
    expect((await checked(get('/redirect'))).headers.get('location')).toBe('http://localhost/text')
    expect((await checked(get('/boom'))).status).toBe(500)
    expect((await checked(get('/nowhere'))).status).toBe(404)
    expect(checked.breaches).toEqual([])
    checked.assertNoBreaches()
    await app.close()
  })

  it('lets a handler that throws throw, as it would without the validator', async () => {
    const failure = new Error('the host answers 500')
    await expect(validateApp(() => Promise.reject(failure))(get())).rejects.toBe(failure)
  })
})

describe('validateApp: each breach, reported precisely', () => {
  it('not-a-response: a handler that returns something other than a Response', async () => {
    const missing = await breachOf(validateApp((() => undefined) as unknown as FetchHandler)(get('/page')))
    expect(missing.breach).toBe('not-a-response')
    expect(missing.message).toContain('GET /page: the handler returned undefined')
    const plain = await breachOf(validateApp((() => ({ status: 200, body: 'hi' })) as unknown as FetchHandler)(get()))
    expect(plain.message).toContain('a plain object { status, body }')
  })

  it('status-out-of-range: Response.error() (status 0) and a 101', async () => {
    const error = await breachOf(validateApp(() => Response.error())(get()))
    expect(error.breach).toBe('status-out-of-range')
    expect(error.message).toContain('status 0 is Response.error()')
    // new Response() refuses 101 itself; a Response-like from elsewhere can still carry it.
    const upgrade = Object.defineProperty(new Response(null), 'status', { value: 101 })
    const switching = await breachOf(validateApp(() => upgrade)(get()))
    expect(switching.message).toContain('101 Switching Protocols')
  })

  it('forbidden-header: Transfer-Encoding, Connection and the other headers that belong to the server', async () => {
    for (const [name, value] of <const>[
      ['transfer-encoding', 'chunked'],
      ['connection', 'close'],
      ['keep-alive', 'timeout=5'],
      ['upgrade', 'websocket'],
      ['status', '404'],
    ]) {
      const error = await breachOf(validateApp(() => new Response('x', { headers: { [name]: value } }))(get()))
      expect(error.breach).toBe('forbidden-header')
      expect(error.message).toContain(`sets ${name}: ${value}`)
    }
  })

  it('head-with-body: an answer to HEAD that has a body', async () => {
    const error = await breachOf(validateApp(() => new Response('the GET body'))(get('/page', { method: 'HEAD' })))
    expect(error.breach).toBe('head-with-body')
    expect(error.message).toContain('HEAD /page: the response to HEAD has a body')
  })

  it('response-body-used: a response whose body the app already read', async () => {
    const error = await breachOf(
      validateApp(async () => {
        const upstream = new Response('read already')
        await upstream.text()
        return upstream
      })(get()),
    )
    expect(error.breach).toBe('response-body-used')
  })

  it('headers-changed-after-return: a header set once the handler had returned', async () => {
    const response = await validateApp(() => new Response('x'))(get('/late'))
    expect(() => response.headers.set('x-late', '1')).toThrow(GatewayContractError)
    expect(() => response.headers.set('x-late', '1')).toThrow("GET /late: headers.set('x-late') after the handler had returned the response")
    expect(response.headers.has('x-late')).toBe(false)

    const recorded = validateApp(() => new Response('x'), { onBreach: 'record' })
    ;(await recorded(get())).headers.append('x-late', '1')
    expect(recorded.breaches.map((b) => b.breach)).toEqual(['headers-changed-after-return'])
  })

  it('body-read-twice: names both reads', async () => {
    const twice = validateApp(async (request) => {
      await request.text()
      return Response.json(await request.json())
    })
    const error = await breachOf(twice(get('/form', { method: 'POST', body: '{}' })))
    expect(error.breach).toBe('body-read-twice')
    expect(error.message).toContain('POST /form: the request body was read twice, first by request.text(), then by request.json()')

    const byStream = validateApp(async (request) => {
      await request.body!.getReader().read()
      return new Response(await request.text())
    })
    expect((await breachOf(byStream(get('/', { method: 'POST', body: 'x' })))).message).toContain('first by request.body.getReader(), then by request.text()')
  })

  it('body-read-twice: one read through text() (which takes the stream itself) is one read', async () => {
    const once = validateApp(async (request) => {
      void request.body // a handler may look at the stream before reading it whole
      return new Response(await request.text())
    })
    expect(await (await once(get('/', { method: 'POST', body: 'once' }))).text()).toBe('once')
    expect(once.breaches).toEqual([])
  })

  it('body-chunk-not-bytes: a body stream that produces strings', async () => {
    const response = await validateApp(() => new Response(new ReadableStream({ start: (c) => (c.enqueue('text, not bytes'), c.close()) })))(get('/s'))
    const error = await breachOf(readAsServer(response))
    expect(error.breach).toBe('body-chunk-not-bytes')
    expect(error.message).toContain('GET /s: the response body produced a string chunk')
  })

  it('stream-not-closed: a body that leaves the server waiting past streamTimeout', async () => {
    const stalled = () => new Response(new ReadableStream({ start: (c) => c.enqueue(encoder.encode('first and last')) }))
    const response = await validateApp(stalled, { streamTimeout: 50 })(get('/feed'))
    const error = await breachOf(readAsServer(response))
    expect(error.breach).toBe('stream-not-closed')
    expect(error.message).toContain('GET /feed: the response body produced nothing and did not close for 50 ms while the server waited for it (after 14 bytes)')

    // Recorded only: the server keeps waiting, as it would without the validator.
    const recorded = validateApp(stalled, { streamTimeout: 50, onBreach: 'record' })
    const reader = (await recorded(get())).body!.getReader()
    await reader.read()
    const next = reader.read()
    await new Promise((resolve) => setTimeout(resolve, 120))
    expect(recorded.breaches.map((b) => b.breach)).toEqual(['stream-not-closed'])
    await reader.cancel()
    await next
  })

  it('content-length-mismatch: a declared length the body does not have', async () => {
    const streamed = await validateApp(() => new Response('hello', { headers: { 'content-length': '3' } }))(get('/streamed'))
    const error = await breachOf(readAsServer(streamed))
    expect(error.breach).toBe('content-length-mismatch')
    expect(error.message).toContain('content-length: 3 but its body had 5 bytes')
    // Read whole, as some servers do, it is checked the same.
    const whole = await validateApp(() => new Response('hello', { headers: { 'content-length': '3' } }))(get('/whole'))
    expect((await breachOf(whole.arrayBuffer())).breach).toBe('content-length-mismatch')
    // A body in memory (ctx.text and friends) is checked at once.
    const light = await breachOf(validateApp(() => lightResponse('hello', 200, { 'content-length': '9' }))(get('/light')))
    expect(light.message).toContain('GET /light: the response declares content-length: 9 but its body has 5 bytes')
  })

  it("onBreach: 'record' passes the result on unchanged, and assertNoBreaches() throws what was recorded", async () => {
    const recorded = validateApp((() => 'not a response') as unknown as FetchHandler, { onBreach: 'record' })
    expect(await recorded(get())).toBe('not a response')
    expect(() => recorded.assertNoBreaches()).toThrow(GatewayContractError)
    await recorded(get())
    expect(() => recorded.assertNoBreaches()).toThrow('2 gateway contract breaches')
  })
})
