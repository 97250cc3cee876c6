import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import { recordingLogger } from '../../../test/support/recording-logger.js'
import { lineServer } from './line-server.js'

const apps: App[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
})

const logger = recordingLogger()

async function listening(): Promise<number> {
  const app = await createApp({
    environment: 'test',
    components: { server: lineServer() },
    register: (c) => c.value(Logger, logger),
    routes(r) {
      r.get('/hello/:name', (ctx) => ctx.text(`Hello ${ctx.params.name} from ${ctx.clientAddress}`))
    },
  })
  apps.push(app)
  return (await app.listen({ port: 0, host: '127.0.0.1' })).port
}

/** Send `line`, read until the server closes the connection. */
function exchange(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(line))
    let received = ''
    socket.on('data', (chunk) => (received += chunk.toString('latin1')))
    socket.once('close', () => resolve(received))
    socket.once('error', reject)
  })
}

describe('a server adapter built on dovetailjs/server-kit', () => {
  it('answers a one-line request with the app\'s response, as CGI output', async () => {
    const port = await listening()
    const answer = await exchange(port, 'GET /hello/Ada\n')
    expect(answer).toMatch(/^Status: 200 OK\r\n/)
    expect(answer).toContain('content-type: text/plain; charset=utf-8\r\n')
    expect(answer.endsWith('\r\n\r\nHello Ada from 127.0.0.1')).toBe(true)
  })

  it('closes the connection on a line that is no request, and logs DOVETAIL_ERR_SERVER_PROTOCOL', async () => {
    const port = await listening()
    expect(await exchange(port, 'hello?\n')).toBe('')
    expect(logger.errors).toEqual([[{ code: 'DOVETAIL_ERR_SERVER_PROTOCOL' }, 'example/line-server: the client sent no "<METHOD> <target>" line']])
  })

  it('answers 400 to a target with a control character, before the app runs (checkCgiPath, through cgiRequest)', async () => {
    const port = await listening()
    const answer = await exchange(port, 'GET /hello/A\x01da\n')
    expect(answer).toMatch(/^Status: 400\r\n/)
    expect(answer).toContain('DOVETAIL_ERR_SERVER_CONTROL_CHARACTER')
  })
})
