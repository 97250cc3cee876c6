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
// A body that fails before its first chunk, and one that fails after it (test/security/gateway-protocols.test.ts).
const failing = (chunksBeforeFailing: number): FetchHandler => () => {
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ === chunksBeforeFailing) return controller.error(new Error('the body source went away'))
      controller.enqueue(new TextEncoder().encode('partial;'))
    },
  })
  return new Response(body, { headers: { 'content-type': 'text/plain' } })
}
const special: Record<string, FetchHandler> = { '/noisy': noisy, '/fails-before-first-byte': failing(0), '/fails-after-head': failing(1) }
const handler: FetchHandler = (request) => (special[new URL(request.url).pathname] ?? kit.fetch)(request)

const app = await createApp({ environment: 'test', components: { server: cgi(options) } })
const listening = await app.resolve(Server).listen(handler, { port: 0, host: '' })
await listening.close()
await app.close()
await kit.close()
