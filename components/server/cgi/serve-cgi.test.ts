import { PassThrough, Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createApp, DovetailError, Logger } from 'dovetailjs'
import cgi, { CgiServer, cgiServerOptions, serveCgi } from 'dovetailjs/components/server/cgi'
import { parseCgiResponse } from '../../../test/support/fastcgi-client.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

const cgiEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  GATEWAY_INTERFACE: 'CGI/1.1',
  REQUEST_METHOD: 'GET',
  REQUEST_URI: '/',
  SERVER_NAME: 'cgi.test',
  SERVER_PORT: '8080',
  SERVER_PROTOCOL: 'HTTP/1.1',
  REMOTE_ADDR: '198.51.100.4',
  ...extra,
})

/** Run one CGI request in process, with the environment, stdin and stdout given; resolve with what was written. */
async function run(handler: (request: Request) => Response | Promise<Response>, env: NodeJS.ProcessEnv, stdin = '', options: { maxBodySize?: number } = {}) {
  const stdout = new PassThrough()
  const chunks: Buffer[] = []
  stdout.on('data', (c: Buffer) => chunks.push(c))
  await serveCgi(handler, { env, stdin: Readable.from([Buffer.from(stdin)]), stdout, logger: recordingLogger(), ...options })
  return parseCgiResponse(Buffer.concat(chunks))
}

describe('serveCgi', () => {
  it('answers the request in the environment on stdout, with Status and headers', async () => {
    const res = await run((req) => new Response(`${req.method} ${req.url}`, { status: 201, headers: { 'x-a': '1' } }), cgiEnv({ REQUEST_URI: '/p?q=1' }))
    expect(res.status).toBe(201)
    expect(res.headers['x-a']).toEqual(['1'])
    expect(res.body.toString()).toBe('GET http://cgi.test:8080/p?q=1')
  })

  it('reads exactly CONTENT_LENGTH bytes of stdin, and no more', async () => {
    const env = cgiEnv({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: '5', CONTENT_TYPE: 'text/plain' })
    const res = await run(async (req) => new Response(`[${await req.text()}]`), env, 'helloEXTRA')
    expect(res.body.toString()).toBe('[hello]')
  })

  it('answers 413 without calling the app when CONTENT_LENGTH is over maxBodySize', async () => {
    let called = false
    const env = cgiEnv({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: '11' })
    const res = await run(() => ((called = true), new Response('no')), env, 'x'.repeat(11), { maxBodySize: 10 })
    expect(res.status).toBe(413)
    expect(res.body.toString()).toContain('server/cgi option maxBodySize')
    expect(called).toBe(false)
  })

  it('answers 400 to a malformed CONTENT_LENGTH', async () => {
    const res = await run(() => new Response('no'), cgiEnv({ REQUEST_METHOD: 'POST', CONTENT_LENGTH: 'lots' }))
    expect(res.status).toBe(400)
  })

  it('refuses to run outside a CGI request, saying how to run it', async () => {
    const attempt = serveCgi(() => new Response('x'), { env: { PATH: '/usr/bin' }, stdout: new PassThrough() })
    await expect(attempt).rejects.toBeInstanceOf(DovetailError)
    await expect(serveCgi(() => new Response('x'), { env: {}, stdout: new PassThrough() })).rejects.toMatchObject({
      code: 'DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT',
      message: expect.stringContaining('docs/deployment.md'),
    })
  })
})

describe('the cgi component', () => {
  it('answers in listen() and finishes writing by close(); a second listen() is refused', async () => {
    const stdout = new PassThrough()
    const chunks: Buffer[] = []
    stdout.on('data', (c: Buffer) => chunks.push(c))
    const server = new CgiServer(cgiServerOptions.parse({}), recordingLogger(), { env: cgiEnv({ REQUEST_URI: '/hi' }), stdout })
    const app = await createApp({ environment: 'test', routes: (r) => r.get('/hi', (ctx) => ctx.text(`hi ${ctx.clientAddress}`)) })
    const listening = await server.listen(app.fetch)
    expect(listening).toMatchObject({ port: 8080, host: 'cgi.test', url: 'http://cgi.test:8080' })
    await listening.close()
    const res = parseCgiResponse(Buffer.concat(chunks))
    expect(res.status).toBe(200)
    expect(res.body.toString()).toBe('hi 198.51.100.4')
    await expect(server.listen(app.fetch)).rejects.toMatchObject({ code: 'DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT' })
    await app.close()
  })

  it('fills the server slot by name or factory; app.listen() outside a CGI request fails with the code', async () => {
    for (const server of [cgi(), 'cgi'] as const) {
      const app = await createApp({ environment: 'test', components: { server }, register: (c) => c.value(Logger, recordingLogger()) })
      await expect(app.listen()).rejects.toMatchObject({ code: 'DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT' })
      await app.close()
    }
  })
})
