import { createApp } from '../app/create-app.js'
import type { Routes } from '../app/routes.js'
import { clientAddress } from '../gateway/client-address.js'
import type { FetchHandler } from '../gateway/fetch-handler.js'
import { Logger } from '../slots/logger.js'
import { KitChannel } from './kit-channel.js'
import { APP_WAIT_LIMIT, COOKIES, patternBytes, SECRET_MESSAGE, sha256, STREAM_FIRST, STREAM_REST, UTF8_TEXT } from './server-conformance-data.js'
import { validateApp } from './validate-app.js'

export interface ServerConformanceAppOptions {
  /**
   * The folder the server kit gave `start` (`context.folder`): the app and the
   * test exchange signals there, so they may run in two processes.
   */
  folder: string
}

/** The server kit's app: hand `fetch` to the adapter; `close()` when the process is done. */
export interface ServerConformanceApp {
  fetch: FetchHandler
  close(): Promise<void>
}

const encoder = new TextEncoder()

/**
 * The app the server kit (`runServerConformance` in
 * `dovetailjs/testing/conformance`) checks an adapter with, wrapped in
 * {@link validateApp} so a breach on either side shows. The kit builds it
 * itself and hands its `fetch` to your `start`; build it yourself only when
 * your adapter runs the app in a process of its own, as CGI does (one process
 * per request), with the folder the kit gave `start`.
 *
 * @example
 * // my-cgi-program.ts, the program the web server runs for each request
 * import { createServerConformanceApp } from 'dovetailjs/testing'
 * import { serveMyCgi } from '../src/index.js'
 *
 * const app = await createServerConformanceApp({ folder: process.env.KIT_FOLDER! })
 * await serveMyCgi(app.fetch)
 * await app.close()
 */
export async function createServerConformanceApp(options: ServerConformanceAppOptions): Promise<ServerConformanceApp> {
  return createKitApp(await KitChannel.open(options.folder))
}

/** @internal The same, on a channel the kit already opened (the app in the test's own process). */
export async function createKitApp(channel: KitChannel): Promise<ServerConformanceApp> {
  // Errors the app logs (the throwing route's) are expected: kept quiet, not printed.
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
  const sub = await createApp({
    environment: 'production',
    components: { server: false },
    register: (c) => c.value(Logger, quiet),
    routes(r) {
      r.get('/page/:id', (ctx) => ctx.json({ url: ctx.request.url, path: ctx.path, link: ctx.url('sub-page', { id: 'x y' }) }), { name: 'sub-page' })
    },
  })
  const app = await createApp({
    environment: 'production',
    components: { server: false },
    register: (c) => c.value(Logger, quiet),
    routes: (r) => kitRoutes(r, channel, sub.fetch),
  })
  const validated = validateApp(app, { onReport: (breach) => channel.send(`breach-${crypto.randomUUID()}`, breach.message) })
  return {
    fetch: validated,
    close: async () => {
      await app.close()
      await sub.close()
    },
  }
}

function kitRoutes(r: Routes, channel: KitChannel, sub: FetchHandler): void {
  r.get('/hello/:name', (ctx) =>
    ctx.json({
      name: ctx.params.name,
      query: Object.fromEntries([...ctx.searchParams.keys()].map((k) => [k, ctx.searchParams.getAll(k)])),
      method: ctx.request.method,
      url: ctx.request.url,
    }),
    { name: 'hello' },
  )
  r.get('/link', (ctx) => ctx.text(ctx.url('hello', { name: 'a b' })))
  r.get('/client', (ctx) => ctx.json({ client: clientAddress(ctx.request) ?? null }))
  r.get('/text', (ctx) => ctx.text('plain ASCII text'))
  r.get('/utf8', (ctx) => ctx.text(UTF8_TEXT))
  r.post('/echo', async (ctx) => {
    const body = new Uint8Array(await ctx.request.arrayBuffer())
    return new Response(body, {
      status: 201,
      headers: { 'content-type': ctx.request.headers.get('content-type') ?? 'application/octet-stream', 'x-sha256': await sha256(body) },
    })
  })
  r.get('/headers', (ctx) => {
    const h = ctx.request.headers
    return ctx.json({ custom: h.get('x-custom'), cookie: h.get('cookie'), accept: h.get('accept') }, { headers: { 'x-answer': '42', 'cache-control': 'no-store' } })
  })
  r.get('/cookies', () => {
    const headers = new Headers({ 'content-type': 'text/plain; charset=utf-8' })
    for (const cookie of COOKIES) headers.append('set-cookie', cookie)
    return new Response('cookies', { headers })
  })
  r.get('/redirect', (ctx) => ctx.redirect('/hello/redirected?from=redirect'))
  r.post('/form', (ctx) => ctx.redirect('/hello/posted', 303))
  // Immutable headers, an absolute Location: what a proxy or Response.redirect gives.
  r.get('/moved', (ctx) => Response.redirect(new URL('/hello/moved', ctx.request.url), 301))
  r.get('/status/:code', (ctx) => new Response(ctx.params.code === '204' ? null : `status ${ctx.params.code}`, { status: Number(ctx.params.code) }))
  r.get('/large', (ctx) => new Response(patternBytes(Number(ctx.query.bytes)), { headers: { 'content-type': 'application/octet-stream' } }))
  r.get('/throw', () => {
    throw new Error(SECRET_MESSAGE)
  })
  r.mount('/sub', sub)

  // The held stream: its first part at once, the rest once the test says it saw the first.
  r.get('/stream/:id', (ctx) => {
    const id = eventId(ctx.params.id)
    let step = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        step++
        if (step === 1) return controller.enqueue(encoder.encode(STREAM_FIRST))
        await channel.received(`release-${id}`, APP_WAIT_LIMIT)
        controller.enqueue(encoder.encode(STREAM_REST))
        controller.close()
      },
    })
    // nginx holds an SCGI or FastCGI response in its buffers until they fill or the response ends;
    // X-Accel-Buffering: no makes it pass each chunk on (docs/deployment.md, "Streaming").
    return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8', 'x-accel-buffering': 'no' } })
  })

  // A request held in the handler until the test releases it, or the client leaves.
  r.get('/hold/:id', async (ctx) => {
    const id = eventId(ctx.params.id)
    const signal = ctx.request.signal
    const onAbort = () => channel.send(`aborted-${id}`)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
    channel.send(`started-${id}`)
    await Promise.race([channel.received(`release-${id}`, APP_WAIT_LIMIT), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))])
    return ctx.text(signal.aborted ? 'aborted' : 'released')
  })
}

/** A test's request id, checked before it becomes part of a file name. */
function eventId(id: string | undefined): string {
  if (!id || !KitChannel.isEventName(`x-${id}`)) throw new TypeError(`kit app: '${id}' is not a request id ([a-z0-9-])`)
  return id
}
