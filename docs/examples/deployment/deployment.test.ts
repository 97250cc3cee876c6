import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { killExamples, startExample } from '../../../test/support/example-process.js'
import { deploymentSnippet, type FrontServer, startLighttpd, startNginx } from '../../../test/support/front-servers.js'

// The entries and config files of docs/deployment.md, run as they are: each entry as its own
// process, each web server with the documented config (only addresses and paths replaced).
const root = fileURLToPath(new URL('../../../', import.meta.url))
const hasNginx = binaryAvailable('nginx')
const hasLighttpd = binaryAvailable('lighttpd')

const servers: FrontServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop()
  killExamples()
})

/** Start an entry on a free port; resolve with its port once it says it listens. */
async function start(script: string) {
  const { listening, child, exited } = await startExample(`docs/examples/deployment/${script}`, /listening on \w+:\/\/[\d.]+:(\d+)/)
  return { port: Number(listening), child, exited }
}

async function checkApp(url: string): Promise<void> {
  expect(await (await fetch(`${url}/`)).text()).toBe('hello from behind the web server')
  expect(await (await fetch(`${url}/where?x=1`)).json()).toEqual({ url: `${url}/where?x=1`, client: '127.0.0.1' })
  expect(await (await fetch(`${url}/echo`, { method: 'POST', body: 'round trip' })).text()).toBe('round trip')
}

describe.skipIf(!hasNginx)('docs/examples/deployment behind nginx', () => {
  it.each([
    ['proxy.ts', 'nginx-proxy.conf', '127.0.0.1:3000'],
    ['fastcgi.ts', 'nginx-fastcgi.conf', '127.0.0.1:9000'],
    ['scgi.ts', 'nginx-scgi.conf', '127.0.0.1:4000'],
  ])('%s with %s serves the app and stops on SIGTERM', async (script, conf, address) => {
    const { port, child, exited } = await start(script)
    const nginx = await startNginx((listen) => deploymentSnippet(conf, { 'listen 80;': `listen 127.0.0.1:${listen};`, [address]: `127.0.0.1:${port}` }))
    servers.push(nginx)
    await checkApp(nginx.url)
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})

describe.skipIf(!hasLighttpd)('docs/examples/deployment under lighttpd', () => {
  // Three requests, three tsx processes, as documented. Budget: 3x the slowest measured with one core
  // busy on the shared 2-core machine, 8.4 s (docs/testing.md).
  it('cgi.ts through app.cgi with lighttpd-cgi.conf serves the app, one process per request', { timeout: 30_000 }, async () => {
    const lighttpd = await startLighttpd((dir) => {
      const wrapper = deploymentSnippet('app.cgi', { 'cd /srv/dovetail': `cd ${root}`, '/usr/bin/node': process.execPath })
      writeFileSync(join(dir, 'root', 'app.cgi'), wrapper)
      chmodSync(join(dir, 'root', 'app.cgi'), 0o755)
      return deploymentSnippet('lighttpd-cgi.conf', {})
    })
    servers.push(lighttpd)
    await checkApp(lighttpd.url)
  })
})
