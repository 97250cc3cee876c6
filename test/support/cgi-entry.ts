// The CGI program of the lighttpd tests (components/server/cgi/lighttpd.test.ts): the server kit's app
// (dovetailjs/testing), served by the cgi component, one process per request. The test runs it
// compiled to JavaScript (test/support/compiled.ts), so it imports only core, components and test/support.
import { createApp, type FetchHandler, Server } from 'dovetailjs'
import cgi, { type CgiServerOptions } from 'dovetailjs/components/server/cgi'
import { createServerConformanceApp } from 'dovetailjs/testing'

// The test gives the folder the kit's app and the test signal through (the app runs in this process, the test in another),
// and the component's options, as JSON.
const kit = await createServerConformanceApp({ folder: process.env.DOVETAIL_TEST_KIT_FOLDER! })
const options = JSON.parse(process.env.DOVETAIL_TEST_CGI_OPTIONS ?? '{}') as Partial<CgiServerOptions>

// Output on stdout from anything but the adapter must not reach the response.
const noisy: FetchHandler = () => {
  console.log('console.log output')
  process.stdout.write('a direct write to stdout\n')
  return new Response('clean')
}
const handler: FetchHandler = (request) => (new URL(request.url).pathname === '/noisy' ? noisy(request) : kit.fetch(request))

const app = await createApp({ environment: 'test', components: { server: cgi(options) } })
const listening = await app.resolve(Server).listen(handler, { port: 0, host: '' })
await listening.close()
await app.close()
await kit.close()
