import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, HttpError, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { recordingLogger } from '../support/recording-logger.js'

const routes = defineConfig({
  register(c) {
    c.value(Logger, recordingLogger())
  },
  routes(r) {
    r.get('/items', (ctx) => ctx.json({ items: ['a', 'b'] }))
    r.post('/items', (ctx) => ctx.text('created', { status: 201 }))
    r.get('/stream', () => new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close() } }), {
      headers: { 'content-type': 'text/plain', 'content-length': '8' },
    }))
    r.get('/boom', () => {
      throw new Error('secret detail at line 42')
    })
    r.get('/teapot', () => {
      throw new HttpError(418, 'short and stout')
    })
  },
})

const htmlAccept = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' }

describe('method handling through the app', () => {
  it('answers 405 with an Allow header listing the allowed methods', async () => {
    const client = createTestClient(await createApp({ ...routes, environment: 'test' }))
    const res = await client.delete('/items')
    expect(res.status).toBe(405)
    expect(res.headers.get('allow')).toBe('GET, HEAD, POST')
    expect(await res.json()).toMatchObject({ error: { status: 405, code: 'DOVETAIL_ERR_HTTP_METHOD_NOT_ALLOWED' } })
  })

  it('answers HEAD from the GET route with its headers, the GET body length, and no body', async () => {
    const client = createTestClient(await createApp({ ...routes, environment: 'test' }))
    const get = await client.get('/items')
    const getBody = await get.text()
    const head = await client.head('/items')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(getBody)))
    expect(await head.text()).toBe('')
  })

  it('drops a streamed body on HEAD, keeping the headers', async () => {
    const client = createTestClient(await createApp({ ...routes, environment: 'test' }))
    const head = await client.head('/stream')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('8')
    expect(head.body).toBeNull()
  })

  it('answers 404 for an unknown path, whatever the method', async () => {
    const client = createTestClient(await createApp({ ...routes, environment: 'test' }))
    for (const method of ['GET', 'POST', 'HEAD']) expect((await client.request(method, '/nowhere')).status).toBe(404)
  })
})

describe('error bodies are negotiated by Accept', () => {
  it.each([
    ['404', '/nowhere', 'GET', 404],
    ['405', '/items', 'PUT', 405],
    ['500', '/boom', 'GET', 500],
  ])('%s: JSON for API clients, HTML for browsers', async (_label, path, method, status) => {
    const client = createTestClient(await createApp({ ...routes, environment: 'production' }))
    const json = await client.request(method, path, { headers: { accept: 'application/json' } })
    expect(json.status).toBe(status)
    expect(json.headers.get('content-type')).toMatch(/^application\/json/)
    expect((await json.json()).error.status).toBe(status)

    const none = await client.request(method, path)
    expect(none.headers.get('content-type')).toMatch(/^application\/json/)

    const html = await client.request(method, path, { headers: htmlAccept })
    expect(html.status).toBe(status)
    expect(html.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await html.text()).toContain(`<h1>${status} `)
  })

  it('shows the message of an HttpError thrown by a handler', async () => {
    const client = createTestClient(await createApp({ ...routes, environment: 'production' }))
    const res = await client.get('/teapot')
    expect(res.status).toBe(418)
    expect((await res.json()).error.message).toBe('short and stout')
  })
})

describe('500 responses and the stack trace', () => {
  it.each(['production', 'test', 'staging'])('never show the stack or the message in %s', async (environment) => {
    const app = await createApp({ ...routes, environment })
    const client = createTestClient(app)
    for (const headers of [{ accept: 'application/json' }, htmlAccept]) {
      const res = await client.get('/boom', { headers })
      expect(res.status).toBe(500)
      const body = await res.text()
      expect(body).not.toContain('secret detail')
      expect(body).not.toContain('responses.test.ts')
      expect(body).not.toMatch(/\bat .*:\d+:\d+/)
    }
    // Hidden from the client, but not lost: the operator finds it in the log.
    const logged = (app.logger as ReturnType<typeof recordingLogger>).errors
    expect(logged).toHaveLength(2)
    expect((logged[0]![0] as { err: Error }).err.message).toBe('secret detail at line 42')
  })

  it('show the stack in development, to help the developer', async () => {
    const app = await createApp({ ...routes, environment: 'development' })
    const res = await createTestClient(app).get('/boom', { headers: { accept: 'application/json' } })
    const body = await res.json()
    expect(body.error.debug.message).toBe('secret detail at line 42')
    expect(body.error.debug.stack).toContain('responses.test.ts')
  })
})
