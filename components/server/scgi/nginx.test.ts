import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createApp, type FetchHandler, Logger, Server } from 'dovetailjs'
import scgi, { type ScgiServerOptions } from 'dovetailjs/components/server/scgi'
import { runServerConformance } from 'dovetailjs/testing/conformance'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { deploymentSnippet, startNginx } from '../../../test/support/front-servers.js'
import { recordingLogger } from '../../../test/support/recording-logger.js'

const hasNginx = binaryAvailable('nginx')

/**
 * The scgi component as an app gets it (options validated, the Server from
 * the container), listening for `handler`, behind nginx with the documented
 * config (docs/examples/deployment/nginx-scgi.conf). `close()` closes the
 * SCGI server gracefully, then nginx.
 */
async function scgiBehindNginx(handler: FetchHandler, options: Partial<ScgiServerOptions> = {}) {
  const app = await createApp({ environment: 'test', components: { server: scgi(options) }, register: (c) => c.value(Logger, recordingLogger()) })
  const listening = await app.resolve(Server).listen(handler, { port: 0, host: '127.0.0.1' })
  const upstream = options.socketPath ? `unix:${options.socketPath}` : `127.0.0.1:${listening.port}`
  const nginx = await startNginx((port) => deploymentSnippet('nginx-scgi.conf', { 'listen 80;': `listen 127.0.0.1:${port};`, 'scgi_pass 127.0.0.1:4000;': `scgi_pass ${upstream};` })).catch(
    async (error) => {
      await listening.close()
      await app.close()
      throw error
    },
  )
  return {
    url: nginx.url,
    listening,
    close: async () => {
      try {
        await listening.close()
      } finally {
        await nginx.stop()
        await app.close()
      }
    },
  }
}

describe.skipIf(!hasNginx)('server/scgi behind nginx (scgi_pass)', () => {
  runServerConformance({ name: 'server/scgi behind nginx', start: (handler) => scgiBehindNginx(handler) })
})

describe.skipIf(!hasNginx)('server/scgi on a unix socket behind nginx', () => {
  it('serves through scgi_pass unix:', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dovetail-scgi-sock-'))
    const socketPath = join(dir, 'app.sock')
    const served = await scgiBehindNginx(async (request) => new Response(await request.text(), { status: 201 }), { socketPath })
    try {
      expect(served.listening.url).toBe(`unix:${socketPath}`)
      const res = await fetch(`${served.url}/echo`, { method: 'POST', body: 'over a unix socket' })
      expect(res.status).toBe(201)
      expect(await res.text()).toBe('over a unix socket')
    } finally {
      await served.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
