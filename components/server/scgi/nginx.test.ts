import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import scgi from 'dovetailjs/components/server/scgi'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { gatewayRoutes } from '../../../test/support/gateway-app.js'
import { reusableGate, runGatewayCases } from '../../../test/support/gateway-cases.js'
import { deploymentSnippet, type FrontServer, startNginx } from '../../../test/support/front-servers.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

const hasNginx = binaryAvailable('nginx')

describe.skipIf(!hasNginx)('server/scgi behind nginx (scgi_pass)', () => {
  const gate = reusableGate()
  let app: App
  let nginx: FrontServer

  beforeAll(async () => {
    app = await createApp({ environment: 'test', components: { server: scgi() }, routes: gatewayRoutes(gate.wait), register: (c) => c.value(Logger, recordingLogger()) })
    const { port } = await app.listen({ port: 0 })
    nginx = await startNginx((listen) => deploymentSnippet('nginx-scgi.conf', { 'listen 80;': `listen 127.0.0.1:${listen};`, '127.0.0.1:4000': `127.0.0.1:${port}` }))
  })
  afterAll(async () => {
    await nginx?.stop()
    await app?.close()
  })

  runGatewayCases(() => ({ url: nginx.url, release: gate.open }))
})

describe.skipIf(!hasNginx)('server/scgi on a unix socket behind nginx', () => {
  it('serves through scgi_pass unix:', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovetail-scgi-sock-'))
    const socketPath = join(dir, 'app.sock')
    const app = await createApp({ environment: 'test', components: { server: scgi({ socketPath }) }, routes: gatewayRoutes(async () => {}) })
    const listening = await app.listen()
    const nginx = await startNginx((port) =>
      deploymentSnippet('nginx-scgi.conf', { 'listen 80;': `listen 127.0.0.1:${port};`, 'scgi_pass 127.0.0.1:4000;': `scgi_pass unix:${socketPath};` }),
    )
    try {
      expect(listening.url).toBe(`unix:${socketPath}`)
      const res = await fetch(`${nginx.url}/echo`, { method: 'POST', body: 'over a unix socket' })
      expect(res.status).toBe(201)
      expect(await res.text()).toBe('over a unix socket')
    } finally {
      await nginx.stop()
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
