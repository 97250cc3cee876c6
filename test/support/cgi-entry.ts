// The CGI program of the lighttpd tests (components/server/cgi/lighttpd.test.ts): the routes every
// adapter is checked with, served by the cgi component, one process per request. The test runs it
// compiled to JavaScript (test/support/compiled.ts), so it imports only core, components and test/support.
import { existsSync } from 'node:fs'
import { createApp } from 'dovetailjs'
import cgi from 'dovetailjs/components/server/cgi'
import { gatewayRoutes } from './gateway-app.js'

// The test creates this file once it has seen the first chunk of /stream (the app runs in another process).
const gateFile = process.env.DOVETAIL_TEST_GATE_FILE
// Waits at most 30 s, so a failed test leaves no process behind.
const release = async () => {
  for (let waited = 0; gateFile && !existsSync(gateFile) && waited < 30_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
}

const app = await createApp({
  environment: 'test',
  components: { server: cgi({ stripScriptName: process.env.DOVETAIL_TEST_STRIP_SCRIPT_NAME === '1' }) },
  routes: (r) => {
    gatewayRoutes(release)(r)
    // Output on stdout from anything but the adapter must not reach the response.
    r.get('/noisy', (ctx) => {
      console.log('console.log output')
      process.stdout.write('a direct write to stdout\n')
      return ctx.text('clean')
    })
  },
})
await app.listen()
await app.close()
