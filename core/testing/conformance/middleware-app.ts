import type { App } from '../../app/app.js'
import { createApp } from '../../app/create-app.js'
import { type Component, defineComponent, isComponent } from '../../component/define-component.js'
import type { ComponentsConfig } from '../../config/define-config.js'
import type { Context } from '../../context/context.js'
import type { Registry } from '../../container/registry.js'
import { HttpError } from '../../errors/http-error.js'
import { isResponse } from '../../gateway/is-response.js'
import type { Middleware } from '../../pipeline/middleware.js'
import { Logger } from '../../slots/logger.js'

/** The app around the middleware under test: what it needs to run. */
export interface MiddlewareSetup {
  /** Other slots it requires, e.g. `{ 'session-store': 'memory' }` or `{ orm: mikroOrm({ url: ':memory:' }) }`. */
  components?: Omit<ComponentsConfig, 'middleware'>
  /** Middleware that must run before it (outside it), in order: the session middleware in front of csrf. */
  before?: readonly (Component | Middleware)[]
  /** Extra registrations (a `UserLoader`, a service it resolves). */
  register?: (c: Registry) => void
  /** Release what the setup made, after each case. */
  close?: () => unknown
}

/** What the outermost probe saw of one request, and what the app answered. */
export interface Exchange {
  response: Response
  /** What `next()` gave the probe outside the middleware under test: a response or an error. */
  outer: { response: Response } | { error: unknown }
  /** How many times the middleware under test let the request through to what is inside it. */
  passes: number
}

/** The kit's app: routes that answer each kind of response, probes around the middleware under test. */
export interface KitApp {
  app: App
  send(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Exchange>
  /** The errors the kit's routes threw, to check they come out unchanged. */
  thrown: { http: HttpError; crash: Error }
  /** Lets the streaming route finish its body. */
  releaseStream(): void
  /** Errors the app logged (the kit's logger keeps them instead of printing them). */
  logged: unknown[]
  close(): Promise<void>
}

export const FIRST_CHUNK = 'the first part of a streamed body; '
export const STREAM_REST = 'and the rest.'
export const FOREIGN_BODY = 'from a mounted foreign app'

/**
 * Build the app one case runs in: `[outer probe, ...before, the middleware
 * under test, inner probe]` around routes that answer each kind of response
 * the middleware may meet. The outer probe sets a header on whatever it gets
 * back, the way the docs teach, and records it; the inner one counts the
 * requests that got through.
 */
export async function kitApp(underTest: Component | Middleware, setup: MiddlewareSetup, headers: Record<string, string>): Promise<KitApp> {
  // Keyed by the request the kit sends (known outside the app) and by its context (known inside).
  const byRequest = new WeakMap<Request, Seen>()
  const byContext = new WeakMap<Context, Seen>()
  const outer = probe('kit/outer-probe', async function kitOuterProbe(ctx, next) {
    const record: Seen = { passes: 0 }
    byRequest.set(ctx.request, record)
    byContext.set(ctx, record)
    try {
      const response = await next()
      if (isResponse(response)) response.headers.set('x-kit-outer', 'set after next()')
      record.outer = { response }
      return response
    } catch (error) {
      record.outer = { error }
      throw error
    }
  })
  const inner = probe('kit/inner-probe', async function kitInnerProbe(ctx, next) {
    const record = byContext.get(ctx)
    if (record) record.passes++
    return next()
  })
  const before = (setup.before ?? []).map((mw, i) => (isComponent(mw) ? mw : probe(`kit/before-${i}`, mw)))
  const tested = isComponent(underTest) ? underTest : probe('kit/middleware-under-test', underTest)

  const thrown = { http: new HttpError(422, 'kit: the handler refused'), crash: new Error('kit: the handler crashed') }
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  const logged: unknown[] = []
  const quiet = { debug() {}, info() {}, warn() {}, error: (...args: unknown[]) => void logged.push(args[0]), child: () => quiet }

  const app = await createApp({
    environment: 'test',
    components: { ...setup.components, middleware: [outer, ...before, tested, inner] },
    register(c) {
      setup.register?.(c)
      // Unless the setup brings a logger, keep the app's error lines for the cases instead of printing them.
      if (!c.has(Logger)) c.value(Logger, quiet)
    },
    routes(r) {
      r.get('/kit/text', (ctx) => ctx.text('hello from the handler'))
      r.get('/kit/plain', () => new Response('a plain Response', { headers: { 'content-type': 'text/plain; charset=utf-8' } }))
      r.get('/kit/stream', () => {
        // The first part at once, the rest only when the case says: a middleware that buffers the body waits forever.
        let started = false
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            if (!started) {
              started = true
              controller.enqueue(new TextEncoder().encode(FIRST_CHUNK))
              return
            }
            await gate
            controller.enqueue(new TextEncoder().encode(STREAM_REST))
            controller.close()
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
      })
      r.get('/kit/redirect', () => Response.redirect('http://localhost/kit/text', 302))
      r.get('/kit/helper-redirect', (ctx) => ctx.redirect('/kit/text', 303))
      // A foreign fetch app answering with what fetch() returned: headers immutable, as a proxy's are.
      r.mount('/kit/foreign', () => fetch(`data:text/plain;charset=utf-8,${encodeURIComponent(FOREIGN_BODY)}`))
      r.get('/kit/http-error', () => {
        throw thrown.http
      })
      r.get('/kit/crash', () => {
        throw thrown.crash
      })
      r.post('/kit/form', (ctx) => ctx.text('posted', { status: 201 }))
    },
  })

  return {
    app,
    thrown,
    logged,
    releaseStream: () => release(),
    async send(method, path, init = {}) {
      const request = new Request(`http://localhost${path}`, {
        method,
        headers: { ...headers, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
      })
      const response = await app.fetch(request)
      const record = byRequest.get(request)
      return { response, outer: record?.outer ?? { error: new Error('the outer probe never ran') }, passes: record?.passes ?? 0 }
    },
    close: async () => {
      release()
      try {
        await app.close()
      } finally {
        await setup.close?.()
      }
    },
  }
}

/** What the probes saw of one request. */
interface Seen {
  outer?: Exchange['outer']
  passes: number
}

/** A plain function as a middleware component, so it can take its place in the component list. */
function probe(name: string, middleware: Middleware): Component {
  return defineComponent({ name, slot: 'middleware', contract: '^1.0', middleware: () => middleware })()
}
