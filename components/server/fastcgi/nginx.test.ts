import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FetchHandler } from 'dovetailjs'
import fastcgi, { type FastCgiServerOptions } from 'dovetailjs/components/server/fastcgi'
import { runServerConformance } from 'dovetailjs/testing/conformance'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { adapterBehindNginx, establishedConnections } from '../../../test/support/front-servers.js'

const hasNginx = binaryAvailable('nginx')

/**
 * The fastcgi component as an app gets it (options validated, the Server from
 * the container), listening for `handler`, behind nginx with the documented
 * config (docs/examples/deployment/nginx-fastcgi.conf). `close()` closes the
 * FastCGI server gracefully, then nginx.
 */
const fastcgiBehindNginx = (handler: FetchHandler, options: Partial<FastCgiServerOptions> = {}) =>
  adapterBehindNginx(fastcgi(options), handler, 'nginx-fastcgi.conf', (listening): Record<string, string> =>
    options.socketPath ? { 'server 127.0.0.1:9000;': `server unix:${options.socketPath};` } : { '127.0.0.1:9000': `127.0.0.1:${listening.port}` },
  )

describe.skipIf(!hasNginx)('server/fastcgi behind nginx (fastcgi_pass, keep-alive upstream)', () => {
  runServerConformance({ name: 'server/fastcgi behind nginx', start: (handler) => fastcgiBehindNginx(handler) })

  it('keeps its FastCGI connection: one connection serves request after request', async () => {
    const served = await fastcgiBehindNginx(() => new Response('ok'))
    try {
      for (let i = 0; i < 5; i++) expect(await (await fetch(`${served.url}/${i}`)).text()).toBe('ok')
      expect(establishedConnections(served.listening.port)).toBe(1)
    } finally {
      await served.close()
    }
  })
})

describe.skipIf(!hasNginx)('server/fastcgi on a unix socket behind nginx', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dovetail-fcgi-sock-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('serves through fastcgi_pass unix:, with the socket mode set and a stale socket file replaced', async () => {
    const socketPath = join(dir, 'app.sock')
    // A socket file left by a crashed process: nothing listens on it any more.
    const crashed = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => console.log('up'))`])
    await new Promise((resolve) => crashed.stdout.once('data', resolve))
    crashed.kill('SIGKILL')
    await new Promise((resolve) => crashed.once('exit', resolve))
    expect(existsSync(socketPath)).toBe(true)

    const served = await fastcgiBehindNginx((request) => new Response(request.url), { socketPath, socketMode: 0o660 })
    try {
      expect(served.listening.url).toBe(`unix:${socketPath}`)
      expect(statSync(socketPath).mode & 0o777).toBe(0o660)
      expect(await (await fetch(`${served.url}/hello/socket?x=1`)).text()).toBe(`${served.url}/hello/socket?x=1`)
    } finally {
      await served.close()
    }
    expect(existsSync(socketPath)).toBe(false)
  })
})
