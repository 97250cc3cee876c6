import { get } from 'node:http'
import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, Logger } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { gate, openSocket } from '../../../test/support/raw-http.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

/** Resolves with the status and body, or with the error code if the connection failed. */
const request = (url: string) =>
  new Promise<{ status?: number; body?: string; error?: string }>((resolve) => {
    get(url, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode!, body }))
      res.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
    }).on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }))
  })

describe('server/node: graceful shutdown', () => {
  it('finishes requests in flight, refuses new connections, and resolves close() after the last response', async () => {
    const events: string[] = []
    const started = gate()
    const release = gate()
    const app = await createApp({
      environment: 'test',
      routes: (r) =>
        r.get('/slow', async (ctx) => {
          started.open()
          await release.promise
          events.push('handler done')
          return ctx.text('finished')
        }),
    })
    const { url, port } = await app.listen({ port: 0 })
    const slow = request(`${url}/slow`)
    await started.promise

    const closing = app.close().then(() => events.push('closed'))
    await expect(openSocket(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' })
    expect(events).toEqual([])

    release.open()
    expect(await slow).toEqual({ status: 200, body: 'finished' })
    await closing
    expect(events).toEqual(['handler done', 'closed'])
  })

  it('does not wait for idle keep-alive connections', async () => {
    // A shutdownTimeout longer than the test timeout: close() must not need it.
    const app = await createApp({ environment: 'test', components: { server: node({ shutdownTimeout: 60_000 }) }, routes: (r) => r.get('/', (ctx) => ctx.text('hi')) })
    const { port } = await app.listen({ port: 0 })
    const socket = await openSocket(port)
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()))
    socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n') // keep-alive, left open
    await answered
    const socketClosed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    await app.close()
    await socketClosed
  }, 5000)

  it('cuts connections still busy after shutdownTimeout, and still resolves close()', async () => {
    const started = gate()
    const app = await createApp({
      environment: 'test',
      components: { server: node({ shutdownTimeout: 200 }) },
      // The cut is logged as a warning (test/security/shutdown.test.ts checks it); keep it out of the output.
      register: (c) => c.value(Logger, recordingLogger()),
      routes: (r) =>
        r.get('/hang', async (ctx) => {
          started.open()
          await new Promise((resolve) => ctx.request.signal.addEventListener('abort', resolve, { once: true }))
          return ctx.text('never sent')
        }),
    })
    const { url } = await app.listen({ port: 0 })
    const hung = request(`${url}/hang`)
    await started.promise
    await app.close()
    expect((await hung).error).toBeDefined()
  }, 5000)

  it('refuses listen() after close() with DOVETAIL_ERR_APP_CLOSED', async () => {
    const app = await createApp({ environment: 'test' })
    await app.close()
    await expect(app.listen({ port: 0 })).rejects.toBeInstanceOf(DovetailError)
    await expect(app.listen({ port: 0 })).rejects.toMatchObject({ code: 'DOVETAIL_ERR_APP_CLOSED' })
  })

  it('lets close() be called more than once', async () => {
    const app = await createApp({ environment: 'test' })
    await app.listen({ port: 0 })
    await Promise.all([app.close(), app.close()])
    await app.close()
  })
})
