import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, Logger } from 'dovetailjs'
import fastcgi, { FastCgiServer, fastcgiServerOptions } from 'dovetailjs/components/server/fastcgi'
import { gate } from '../../../test/support/raw-http.js'
import { decodePairs, encodePairs, encodeRecord, FastCgiClient, RecordType, Role } from '../../../test/support/fastcgi-client.js'
import { within } from '../../../test/support/gateway-wait.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

let app: App | undefined
let logger: ReturnType<typeof recordingLogger>
const clients: FastCgiClient[] = []

afterEach(async () => {
  for (const c of clients.splice(0)) c.socket.destroy()
  await app?.close()
  app = undefined
})

async function serve(routes: DovetailConfig['routes'], options: Parameters<typeof fastcgi>[0] = {}): Promise<number> {
  logger = recordingLogger()
  app = await createApp({ environment: 'test', components: { server: fastcgi(options) }, routes, register: (c) => c.value(Logger, logger) })
  return (await app.listen({ port: 0 })).port
}

async function client(port: number): Promise<FastCgiClient> {
  const c = await FastCgiClient.open(port)
  clients.push(c)
  return c
}

const hello: DovetailConfig['routes'] = (r) => {
  r.get('/hello', (ctx) => ctx.text(`hello ${ctx.query.n ?? ''}`))
  r.post('/echo', async (ctx) => ctx.text(await ctx.request.text()))
}

describe('server/fastcgi: management records', () => {
  it('answers FCGI_GET_VALUES with the variables it knows, leaving out the others', async () => {
    const c = await client(await serve(hello))
    c.send(encodeRecord(RecordType.getValues, 0, encodePairs([['FCGI_MPXS_CONNS', ''], ['FCGI_NO_SUCH_THING', '']])))
    const result = await c.waitFor((r) => r.type === RecordType.getValuesResult)
    expect(result?.requestId).toBe(0)
    expect(decodePairs(result!.content)).toEqual([['FCGI_MPXS_CONNS', '1']])
  })

  it('answers a management record of an unknown type with FCGI_UNKNOWN_TYPE naming it', async () => {
    const c = await client(await serve(hello))
    c.send(encodeRecord(42, 0, Buffer.alloc(0)))
    const unknown = await c.waitFor((r) => r.type === RecordType.unknownType)
    expect(unknown?.content[0]).toBe(42)
  })
})

describe('server/fastcgi: connections and requests', () => {
  it('serves request after request on one connection with FCGI_KEEP_CONN, and keeps it open', async () => {
    const c = await client(await serve(hello))
    for (const n of [1, 2, 3]) {
      c.request(1, 'GET', `/hello?n=${n}`)
      const answer = await c.answer(1)
      expect(answer.status).toBe(200)
      expect(answer.body.toString()).toBe(`hello ${n}`)
      expect(answer.protocolStatus).toBe(0)
      c.records.length = 0
    }
    expect(c.isClosed).toBe(false)
  })

  it('closes the connection after the response when FCGI_KEEP_CONN is not set', async () => {
    const c = await client(await serve(hello))
    c.request(1, 'GET', '/hello', { keepConn: false })
    expect((await c.answer(1)).body.toString()).toBe('hello ')
    await within(c.closed, 5000, 'the connection closing')
  })

  it('answers multiplexed requests on one connection, the quicker one first', async () => {
    const slow = gate()
    const c = await client(
      await serve((r) => {
        r.get('/slow', async (ctx) => {
          await slow.promise
          return ctx.text('slow')
        })
        r.get('/fast', (ctx) => ctx.text('fast'))
      }),
    )
    c.request(1, 'GET', '/slow')
    c.request(2, 'GET', '/fast')
    expect((await c.answer(2)).body.toString()).toBe('fast')
    expect(c.records.some((r) => r.requestId === 1 && r.type === RecordType.endRequest)).toBe(false)
    slow.open()
    expect((await c.answer(1)).body.toString()).toBe('slow')
  })

  it('refuses the authorizer and filter roles with FCGI_UNKNOWN_ROLE', async () => {
    const c = await client(await serve(hello))
    c.begin(1, { role: Role.authorizer })
    c.begin(2, { role: Role.filter })
    expect((await c.answer(1)).protocolStatus).toBe(3)
    expect((await c.answer(2)).protocolStatus).toBe(3)
  })

  it('delivers an answer given before the body was read, and the connection serves the next request', async () => {
    const c = await client(await serve((r) => {
      r.post('/refuse', (ctx) => ctx.text('no thanks', { status: 413 }))
      r.get('/hello', (ctx) => ctx.text('hello'))
    }))
    c.begin(1)
    c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/refuse'], ['CONTENT_LENGTH', String(1024 * 1024)], ['HTTP_HOST', 'x']])
    c.stdin(1, Buffer.alloc(256 * 1024), false)
    const answer = await c.answer(1)
    expect(answer.status).toBe(413)
    expect(answer.body.toString()).toBe('no thanks')
    c.stdin(1, Buffer.alloc(768 * 1024)) // the rest of the body, which is dropped
    c.records.length = 0
    c.request(1, 'GET', '/hello')
    expect((await c.answer(1)).body.toString()).toBe('hello')
  })

  it('aborts ctx.request.signal on FCGI_ABORT_REQUEST and ends the request', async () => {
    const started = gate()
    const aborted = gate<boolean>()
    const c = await client(
      await serve((r) =>
        r.get('/wait', async (ctx) => {
          started.open()
          await new Promise((resolve) => ctx.request.signal.addEventListener('abort', resolve, { once: true }))
          aborted.open(ctx.request.signal.aborted)
          return ctx.text('too late')
        }),
      ),
    )
    c.request(1, 'GET', '/wait')
    await within(started.promise, 5000, 'the handler starting')
    c.send(encodeRecord(RecordType.abortRequest, 1))
    expect(await within(aborted.promise, 5000, 'the abort signal')).toBe(true)
    expect((await c.answer(1)).protocolStatus).toBe(0)
  })

  it('aborts the signal and cancels a streamed body when the web server closes the connection', async () => {
    const cancelled = gate()
    const c = await client(
      await serve((r) =>
        r.get('/forever', () => {
          const body = new ReadableStream<Uint8Array>({
            async pull(controller) {
              controller.enqueue(new TextEncoder().encode('tick\n'))
              await new Promise((resolve) => setTimeout(resolve, 10))
            },
            cancel: () => cancelled.open(),
          })
          return new Response(body)
        }),
      ),
    )
    c.request(1, 'GET', '/forever')
    await c.waitFor((r) => r.type === RecordType.stdout && r.content.includes('tick'))
    c.socket.destroy()
    await within(cancelled.promise, 5000, "the body stream's cancel()")
  })

  it('cuts the connection, without END_REQUEST, when the body stream fails after the head went out', async () => {
    const c = await client(
      await serve((r) =>
        r.get('/broken', () => {
          let sent = false
          return new Response(
            new ReadableStream<Uint8Array>({
              pull(controller) {
                if (sent) return controller.error(new Error('the database went away'))
                sent = true
                controller.enqueue(new TextEncoder().encode('partial'))
              },
            }),
          )
        }),
      ),
    )
    c.request(1, 'GET', '/broken')
    await within(c.closed, 5000, 'the connection being cut')
    expect(c.records.some((r) => r.type === RecordType.endRequest)).toBe(false)
    expect(JSON.stringify(logger.errors)).toContain('the response body failed after its head was sent')
  })

  it('answers 500 and logs when a bare fetch handler throws', async () => {
    const log = recordingLogger()
    const server = new FastCgiServer(fastcgiServerOptions.parse({}), log)
    const listening = await server.listen(() => {
      throw new Error('handler bug')
    }, { port: 0, host: '127.0.0.1' })
    try {
      const c = await client(listening.port)
      c.request(1, 'GET', '/')
      const answer = await c.answer(1)
      expect(answer.status).toBe(500)
      expect(answer.body.toString()).toBe('Internal Server Error')
      expect(JSON.stringify(log.errors)).toContain('the fetch handler failed')
    } finally {
      await listening.close()
    }
  })

  it('closes the connection and logs DOVETAIL_ERR_SERVER_PROTOCOL when it is sent HTTP instead of FastCGI', async () => {
    const c = await client(await serve(hello))
    c.send(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))
    await within(c.closed, 5000, 'the connection closing')
    expect(JSON.stringify(logger.errors)).toContain('DOVETAIL_ERR_SERVER_PROTOCOL')
    expect(JSON.stringify(logger.errors)).toContain('fastcgi_pass, not proxy_pass')
  })
})

describe('server/fastcgi: limits', () => {
  it('answers 431 to params over maxHeaderSize without calling the app, and serves params within it', async () => {
    let calls = 0
    const c = await client(await serve((r) => r.get('/', (ctx) => (calls++, ctx.text('ok'))), { maxHeaderSize: 2048 }))
    c.request(1, 'GET', '/', { params: [['HTTP_X_PAD', 'a'.repeat(1500)]] })
    expect((await c.answer(1)).status).toBe(200)
    c.records.length = 0
    c.request(1, 'GET', '/', { params: [['HTTP_X_PAD', 'a'.repeat(2500)]] })
    const refused = await c.answer(1)
    expect(refused.status).toBe(431)
    expect(refused.body.toString()).toContain('maxHeaderSize')
    expect(calls).toBe(1)
  })

  it('answers 413 to a CONTENT_LENGTH over maxBodySize without calling the app', async () => {
    let calls = 0
    const c = await client(await serve((r) => r.post('/', async (ctx) => (calls++, ctx.text(await ctx.request.text()))), { maxBodySize: 1000 }))
    c.request(1, 'POST', '/', { body: 'x'.repeat(1001) })
    const refused = await c.answer(1)
    expect(refused.status).toBe(413)
    expect(refused.body.toString()).toContain('server/fastcgi option maxBodySize')
    expect(calls).toBe(0)
    c.records.length = 0
    c.request(1, 'POST', '/', { body: 'x'.repeat(1000) })
    expect((await c.answer(1)).body.toString()).toBe('x'.repeat(1000))
  })

  it('fails the body read with 413 when a body without CONTENT_LENGTH grows over maxBodySize', async () => {
    const c = await client(await serve((r) => r.post('/', async (ctx) => ctx.text(await ctx.request.text())), { maxBodySize: 1000 }))
    c.begin(1)
    c.params(1, [['REQUEST_METHOD', 'POST'], ['REQUEST_URI', '/'], ['HTTP_HOST', 'x'], ['HTTP_ACCEPT', 'application/json']])
    c.stdin(1, 'y'.repeat(3000))
    const answer = await c.answer(1)
    expect(answer.status).toBe(413)
    expect(JSON.parse(answer.body.toString())).toMatchObject({ error: { status: 413, code: 'DOVETAIL_ERR_HTTP_PAYLOAD_TOO_LARGE' } })
  })

  it('answers 400 to variables that make no URL', async () => {
    const c = await client(await serve(hello))
    c.request(1, 'GET', '/hello', { params: [['HTTP_HOST', 'bad host name']] })
    expect((await c.answer(1)).status).toBe(400)
  })
})

describe('server/fastcgi: closing', () => {
  it('lets a request in flight finish, refuses new connections, and closes an idle kept connection', async () => {
    const release = gate()
    const started = gate()
    const port = await serve((r) => {
      r.get('/slow', async (ctx) => {
        started.open()
        await release.promise
        return ctx.text('finished')
      })
      r.get('/hello', (ctx) => ctx.text('hello'))
    })
    const idle = await client(port)
    idle.request(1, 'GET', '/hello')
    await idle.answer(1)
    const busy = await client(port)
    busy.request(1, 'GET', '/slow')
    await within(started.promise, 5000, 'the slow request reaching its handler')
    const closing = app!.close()
    await within(idle.closed, 5000, 'the idle connection closing')
    await expect(FastCgiClient.open(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    release.open()
    expect((await busy.answer(1)).body.toString()).toBe('finished')
    await within(closing, 5000, 'close() resolving')
    await within(busy.closed, 5000, 'the busy connection closing after its request')
    app = undefined
  })
})

describe('server/fastcgi: options are checked at boot', () => {
  it('refuses socketMode without socketPath, naming the option', async () => {
    await expect(createApp({ components: { server: fastcgi({ socketMode: 0o660 }) } })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_COMPONENT_OPTIONS',
      message: expect.stringContaining('socketMode'),
    })
  })

  it('refuses an unknown option', async () => {
    await expect(createApp({ components: { server: fastcgi({ port: 9000 } as never) } })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_OPTIONS' })
  })
})
