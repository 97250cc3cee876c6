import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FetchHandler } from 'dovetailjs'
import scgi, { type ScgiServerOptions } from 'dovetailjs/components/server/scgi'
import { runServerConformance } from 'dovetailjs/testing/conformance'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { adapterBehindNginx } from '../../../test/support/front-servers.js'

const hasNginx = binaryAvailable('nginx')

/**
 * The scgi component as an app gets it (options validated, the Server from
 * the container), listening for `handler`, behind nginx with the documented
 * config (docs/examples/deployment/nginx-scgi.conf). `close()` closes the
 * SCGI server gracefully, then nginx.
 */
const scgiBehindNginx = (handler: FetchHandler, options: Partial<ScgiServerOptions> = {}) =>
  adapterBehindNginx(scgi(options), handler, 'nginx-scgi.conf', (listening) => ({
    'scgi_pass 127.0.0.1:4000;': `scgi_pass ${options.socketPath ? `unix:${options.socketPath}` : `127.0.0.1:${listening.port}`};`,
  }))

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

describe.skipIf(!hasNginx)('server/scgi behind nginx: a response body that fails', () => {
  it('reaches the client broken (a cut body or a 502), never as a complete response', async () => {
    // An SCGI response ends where its connection does: the server resets the connection so that nginx sees an error.
    const served = await scgiBehindNginx(() => {
      let sent = false
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent) {
            // Long enough for the head and the first chunk to reach nginx and go on to the client.
            await new Promise((resolve) => setTimeout(resolve, 200))
            return controller.error(new Error('the body source went away'))
          }
          sent = true
          controller.enqueue(new TextEncoder().encode('partial;'))
        },
      })
      return new Response(body, { headers: { 'x-accel-buffering': 'no' } })
    })
    try {
      const outcome = await fetch(`${served.url}/broken`).then(
        (res) => (res.status === 200 ? res.text().then((text) => `complete: ${text}`, () => 'cut') : `status ${res.status}`),
        () => 'cut',
      )
      expect(outcome).toMatch(/^(cut|status 502)$/)
    } finally {
      await served.close()
    }
  })
})
