import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binaryAvailable } from '../../../test/support/binaries.js'
import { runGatewayCases } from '../../../test/support/gateway-cases.js'
import { deploymentSnippet, type FrontServer, startLighttpd } from '../../../test/support/front-servers.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const hasLighttpd = binaryAvailable('lighttpd')

/**
 * docs/examples/deployment/app.cgi, pointed at this checkout, this node and the
 * test's CGI entry; `env` adds settings for the entry.
 */
function writeWrapper(dir: string, env: Record<string, string>): void {
  const wrapper = deploymentSnippet('app.cgi', {
    'cd /srv/dovetail': `cd ${repo}`,
    '/usr/bin/node': process.execPath,
    'docs/examples/deployment/cgi.ts': 'test/support/cgi-entry.ts',
    'export NODE_ENV=production': ['export NODE_ENV=test', ...Object.entries(env).map(([k, v]) => `export ${k}=${v}`)].join('\n'),
  })
  const file = join(dir, 'root', 'app.cgi')
  writeFileSync(file, wrapper)
  chmodSync(file, 0o755)
}

// Each request starts a node process (a few hundred ms), so the cases run concurrently.
describe.skipIf(!hasLighttpd).concurrent('server/cgi under lighttpd (mod_cgi, the whole site rewritten to app.cgi)', () => {
  let lighttpd: FrontServer
  let gateFile: string

  beforeAll(async () => {
    lighttpd = await startLighttpd((dir) => {
      gateFile = join(dir, 'release-stream')
      writeWrapper(dir, { DOVETAIL_TEST_GATE_FILE: gateFile })
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

describe.skipIf(!hasLighttpd)('server/cgi under lighttpd, reached as /app.cgi/... (stripScriptName)', () => {
  let lighttpd: FrontServer

  beforeAll(async () => {
    lighttpd = await startLighttpd((dir) => {
      writeWrapper(dir, { DOVETAIL_TEST_STRIP_SCRIPT_NAME: '1' })
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
