import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import fastcgi from 'dovetailjs/components/server/fastcgi'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { gatewayRoutes } from '../../../test/support/gateway-app.js'
import { reusableGate, runGatewayCases } from '../../../test/support/gateway-cases.js'
import { deploymentSnippet, establishedConnections, type FrontServer, startNginx } from '../../../test/support/front-servers.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

const hasNginx = binaryAvailable('nginx')

describe.skipIf(!hasNginx)('server/fastcgi behind nginx (fastcgi_pass, keep-alive upstream)', () => {
  const gate = reusableGate()
  let app: App
  let nginx: FrontServer
  let appPort: number

  beforeAll(async () => {
    app = await createApp({ environment: 'test', components: { server: fastcgi() }, routes: gatewayRoutes(gate.wait), register: (c) => c.value(Logger, recordingLogger()) })
    appPort = (await app.listen({ port: 0 })).port
    nginx = await startNginx((port) => deploymentSnippet('nginx-fastcgi.conf', { 'listen 80;': `listen 127.0.0.1:${port};`, '127.0.0.1:9000': `127.0.0.1:${appPort}` }))
  })
  afterAll(async () => {
    await nginx?.stop()
    await app?.close()
  })

  runGatewayCases(() => ({ url: nginx.url, release: gate.open }))

  it('keeps its FastCGI connection: one connection serves request after request', async () => {
    for (let i = 0; i < 5; i++) expect((await fetch(`${nginx.url}/hello/${i}`)).status).toBe(200)
    expect(establishedConnections(appPort)).toBe(1)
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

    const app = await createApp({ environment: 'test', components: { server: fastcgi({ socketPath, socketMode: 0o660 }) }, routes: gatewayRoutes(async () => {}) })
    const listening = await app.listen()
    const nginx = await startNginx((port) =>
      deploymentSnippet('nginx-fastcgi.conf', { 'listen 80;': `listen 127.0.0.1:${port};`, 'server 127.0.0.1:9000;': `server unix:${socketPath};` }),
    )
    try {
      expect(listening.url).toBe(`unix:${socketPath}`)
      expect(statSync(socketPath).mode & 0o777).toBe(0o660)
      const res = await fetch(`${nginx.url}/hello/socket?x=1`)
      expect(await res.json()).toMatchObject({ name: 'socket', query: { x: ['1'] }, url: `${nginx.url}/hello/socket?x=1` })
    } finally {
      await nginx.stop()
      await app.close()
    }
    expect(existsSync(socketPath)).toBe(false)
  })
})
