import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { deploymentSnippet, type FrontServer, startLighttpd, startNginx } from '../../../test/support/front-servers.js'

// The entries and config files of docs/deployment.md, run as they are: each entry as its own
// process, each web server with the documented config (only addresses and paths replaced).
const root = fileURLToPath(new URL('../../../', import.meta.url))
const tsx = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url))
const hasNginx = binaryAvailable('nginx')
const hasLighttpd = binaryAvailable('lighttpd')

const running: ChildProcess[] = []
const servers: FrontServer[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop()
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/** Start an entry on a free port; resolve with its port once it says it listens. */
function start(script: string): Promise<{ port: number; child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(tsx, [`docs/examples/deployment/${script}`], { cwd: root, env: { ...process.env, PORT: '0', NODE_ENV: 'production' } })
  running.push(child)
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const port = /listening on \w+:\/\/[\d.]+:(\d+)/.exec(output)?.[1]
      if (port) resolve({ port: Number(port), child, exited })
    })
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening:\n${output}`)))
  })
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
  it('cgi.ts through app.cgi with lighttpd-cgi.conf serves the app, one process per request', async () => {
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
