import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { compiledCheckout } from '../../../test/support/compiled.js'
import { runGatewayCases } from '../../../test/support/gateway-cases.js'
import { deploymentSnippet, type FrontServer, startLighttpd } from '../../../test/support/front-servers.js'

const hasLighttpd = binaryAvailable('lighttpd')

/**
 * docs/examples/deployment/app.cgi, pointed at this checkout compiled to
 * JavaScript, this node and the test's CGI entry; `env` adds settings for the
 * entry. The compiled entry, not tsx: each request is a new process, and a
 * plain node start costs under half the CPU of a tsx one (test/support/compiled.ts).
 * test/package/deployment.test.ts runs the documented line in a scaffolded project.
 */
function writeWrapper(dir: string, compiled: string, env: Record<string, string>): void {
  const wrapper = deploymentSnippet('app.cgi', {
    'cd /srv/dovetail': `cd ${compiled}`,
    '/usr/bin/node': process.execPath,
    '--env-file=/etc/dovetail/app.env dist/cgi.js': 'dist/test/support/cgi-entry.js',
    'export NODE_ENV=production': ['export NODE_ENV=test', ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`)].join('\n'),
  })
  const file = join(dir, 'root', 'app.cgi')
  writeFileSync(file, wrapper)
  chmodSync(file, 0o755)
}

// Each request starts a node process: about 0.3 s of CPU on the compiled entry, 1-3 s of wall time with
// the machine busy. The cases run one after another: run concurrently, on a loaded 2-core machine each
// case waited for every other case's processes, so its time was the whole file's (19.7 s against a 20 s
// budget in a loaded full run with tsx). Budget: 3x the slowest case measured under load (see docs/testing.md).
const cgiCaseBudget = 20_000 // slowest: redirects (4 requests), 5.5 s with one core busy and the machine shared

describe.skipIf(!hasLighttpd)('server/cgi under lighttpd (mod_cgi, the whole site rewritten to app.cgi)', { timeout: cgiCaseBudget }, () => {
  let lighttpd: FrontServer
  let gateFile: string

  beforeAll(async () => {
    const compiled = await compiledCheckout()
    lighttpd = await startLighttpd((dir) => {
      gateFile = join(dir, 'release-stream')
      writeWrapper(dir, compiled, { DOVETAIL_TEST_GATE_FILE: gateFile })
      return deploymentSnippet('lighttpd-cgi.conf', {})
    })
  })
  afterAll(async () => {
    await lighttpd?.stop()
  })

  runGatewayCases(() => ({ url: lighttpd.url, release: () => writeFileSync(gateFile, '') }))

  it('keeps whatever else the program prints on stdout out of the response (it goes to the error log)', async () => {
    const res = await fetch(`${lighttpd.url}/noisy`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('clean')
    expect(lighttpd.errorLog()).toContain('a direct write to stdout')
  })
})

describe.skipIf(!hasLighttpd)('server/cgi under lighttpd, reached as /app.cgi/... (stripScriptName)', { timeout: cgiCaseBudget }, () => {
  let lighttpd: FrontServer

  beforeAll(async () => {
    const compiled = await compiledCheckout()
    lighttpd = await startLighttpd((dir) => {
      writeWrapper(dir, compiled, { DOVETAIL_TEST_STRIP_SCRIPT_NAME: '1' })
      return 'server.modules += ( "mod_cgi" )\ncgi.assign = ( "/app.cgi" => "" )'
    })
  })
  afterAll(async () => {
    await lighttpd?.stop()
  })

  it('routes on PATH_INFO, with SCRIPT_NAME taken off the URL', async () => {
    const res = await fetch(`${lighttpd.url}/app.cgi/hello/there?q=1`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ name: 'there', query: { q: ['1'] }, url: `${lighttpd.url}/hello/there?q=1` })
  })
})
