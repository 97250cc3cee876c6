import { describe, expect, it } from 'vitest'
import type { Component } from '../../component/define-component.js'
import { isResponse } from '../../gateway/is-response.js'
import type { Middleware } from '../../pipeline/middleware.js'
import { FIRST_CHUNK, FOREIGN_BODY, type KitApp, kitApp, type MiddlewareSetup, STREAM_REST } from './middleware-app.js'

export type { MiddlewareSetup } from './middleware-app.js'

export interface MiddlewareConformanceOptions {
  /** Shown in the test names, e.g. `'middleware/cors'`. */
  name: string
  /**
   * The middleware under test: a component for the middleware slot
   * (`cors({ origin: '*' })`) or a plain `Middleware` function. Called for
   * each case, which runs in an app of its own.
   */
  create: () => Component | Middleware
  /** The app around it: the slots it requires and the middleware it must run behind. */
  setup?: () => MiddlewareSetup | Promise<MiddlewareSetup>
  /**
   * Headers on every request the suite sends, for middleware that acts only
   * on some requests (`accept-encoding` for compression, `origin` for CORS).
   */
  headers?: Record<string, string>
  /**
   * What the middleware does with an error thrown inside it, as its docs say:
   * `'rethrow'` passes on the very error; `'respond'` answers with an error
   * response of the error's status (500 for an error without one) that does
   * not show the error's message.
   * @default 'rethrow'
   */
  errors?: 'rethrow' | 'respond'
}

/** The requests every case may send: one of each kind of answer a middleware meets. */
const answers = [
  ['GET', '/kit/text'],
  ['GET', '/kit/plain'],
  ['GET', '/kit/redirect'],
  ['GET', '/kit/helper-redirect'],
  ['GET', '/kit/foreign/page'],
  ['GET', '/kit/http-error'],
  ['GET', '/kit/crash'],
  ['GET', '/kit/no-such-route'],
  ['HEAD', '/kit/text'],
  ['HEAD', '/kit/redirect'],
  ['POST', '/kit/form'],
] as const

/**
 * The contract every middleware keeps, as a test suite. The middleware runs
 * in a real app between two probes, in front of routes that answer each kind
 * of response it may meet: a light `ctx.text`, a plain `Response`, a streamed
 * body, `Response.redirect()` and a fetched response from a mounted app
 * (both with immutable headers), the redirect helper, a thrown `HttpError`, a
 * crash, a 404, HEAD and a form POST. It checks that the middleware
 * - returns a Response, and calls `next()` at most once;
 * - keeps a streamed body streaming (the first part arrives before the rest exists);
 * - works on HEAD as on GET;
 * - passes errors on, or turns them into responses, as its docs say;
 * - never breaks on a response with immutable headers; and that whatever it
 *   returns, a middleware outside it can still set headers after `next()`.
 *
 * Each case builds its own app, so each passes alone and in any order. The
 * suite's GET requests must reach the handler: configure the middleware so
 * they do (`headers`, `setup`).
 *
 * @example
 * // test/my-middleware.test.ts
 * import { runMiddlewareConformance } from 'dovetailjs/testing/conformance'
 * import { requestTimer } from '../src/request-timer.js'
 *
 * runMiddlewareConformance({ name: 'acme/request-timer', create: () => requestTimer({ metric: 'app' }) })
 * // one that needs sessions, behind the session middleware:
 * runMiddlewareConformance({
 *   name: 'acme/flash',
 *   create: () => flash(),
 *   setup: () => ({ components: { 'session-store': 'memory' }, before: [session({ secrets: [secret] })] }),
 * })
 */
export function runMiddlewareConformance(options: MiddlewareConformanceOptions): void {
  const errors = options.errors ?? 'rethrow'
  const run = async (use: (kit: KitApp) => Promise<void>) => {
    const kit = await kitApp(options.create(), (await options.setup?.()) ?? {}, options.headers ?? {})
    try {
      await use(kit)
    } finally {
      await kit.close()
    }
  }
  const loggedCodes = (kit: KitApp) => kit.logged.map((fields) => (fields as { err?: { code?: unknown } } | undefined)?.err?.code)

  describe(`middleware conformance: ${options.name}`, () => {
    it('returns a Response for every kind of answer', () =>
      run(async (kit) => {
        for (const [method, path] of answers) {
          const { response, outer } = await kit.send(method, path, postBody(method))
          expect(isResponse(response), `${method} ${path}`).toBe(true)
          if ('response' in outer) expect(isResponse(outer.response), `${method} ${path}: what next() gave the middleware outside`).toBe(true)
          await response.body?.cancel()
        }
        expect(loggedCodes(kit)).not.toContain('DOVETAIL_ERR_HANDLER_NO_RESPONSE')
      }))

    it('calls next() at most once', () =>
      run(async (kit) => {
        for (const [method, path] of answers) {
          const { response, passes } = await kit.send(method, path, postBody(method))
          expect(passes, `${method} ${path}`).toBeLessThanOrEqual(1)
          await response.body?.cancel()
        }
        expect(loggedCodes(kit)).not.toContain('DOVETAIL_ERR_MIDDLEWARE_NEXT_TWICE')
      }))

    it('keeps a streamed body streaming: the first part arrives before the handler has the rest', () =>
      run(async (kit) => {
        const { response, passes } = await within(kit.send('GET', '/kit/stream'), 'the response never came: the middleware waits for the whole body')
        expect(passes).toBe(1)
        expect(response.status).toBe(200)
        const reader = response.body!.getReader()
        const first = await within(reader.read(), 'the first part never came: the middleware buffers the body')
        expect(first.done).toBe(false)
        expect(first.value!.byteLength).toBeGreaterThan(0)
        kit.releaseStream()
        const decoder = new TextDecoder()
        let text = decoder.decode(first.value, { stream: true })
        for (let next = await reader.read(); !next.done; next = await reader.read()) text += decoder.decode(next.value, { stream: true })
        if (!response.headers.has('content-encoding')) expect(text + decoder.decode()).toBe(FIRST_CHUNK + STREAM_REST)
      }))

    it('works on HEAD: the status and type of GET, no body', () =>
      run(async (kit) => {
        kit.releaseStream()
        for (const path of ['/kit/text', '/kit/plain', '/kit/stream', '/kit/redirect', '/kit/foreign/page']) {
          const get = await kit.send('GET', path)
          await get.response.body?.cancel()
          const head = await kit.send('HEAD', path)
          expect(head.response.status, `HEAD ${path}`).toBe(get.response.status)
          expect(head.response.status, `HEAD ${path}`).toBeLessThan(500)
          expect(head.response.headers.get('content-type'), `HEAD ${path}`).toBe(get.response.headers.get('content-type'))
          expect(await head.response.text(), `HEAD ${path}`).toBe('')
        }
      }))

    if (errors === 'rethrow') {
      it('passes an error from inside it on, unchanged', () =>
        run(async (kit) => {
          const http = await kit.send('GET', '/kit/http-error')
          expect(http.outer).toEqual({ error: kit.thrown.http })
          expect(http.response.status).toBe(422)
          const crash = await kit.send('GET', '/kit/crash')
          expect(crash.outer).toEqual({ error: kit.thrown.crash })
          expect(crash.response.status).toBe(500)
        }))
    } else {
      it('turns an error from inside it into a response of its status, without its message', () =>
        run(async (kit) => {
          const http = await kit.send('GET', '/kit/http-error')
          expect('response' in http.outer && http.outer.response.status).toBe(422)
          const crash = await kit.send('GET', '/kit/crash')
          expect('response' in crash.outer && crash.outer.response.status).toBe(500)
          expect(await crash.response.text()).not.toContain(kit.thrown.crash.message)
        }))
    }

    it('never breaks on a response with immutable headers (Response.redirect, a mounted app’s fetch() result)', () =>
      run(async (kit) => {
        const redirect = await kit.send('GET', '/kit/redirect')
        expect(redirect.passes).toBe(1)
        expect(redirect.response.status).toBe(302)
        expect(redirect.response.headers.get('location')).toBe('http://localhost/kit/text')
        const foreign = await kit.send('GET', '/kit/foreign/page')
        expect(foreign.passes).toBe(1)
        expect(foreign.response.status).toBe(200)
        if (!foreign.response.headers.has('content-encoding')) expect(await foreign.response.text()).toBe(FOREIGN_BODY)
        const helper = await kit.send('GET', '/kit/helper-redirect')
        expect(helper.response.status).toBe(303)
        expect(helper.response.headers.get('location')).toBe('/kit/text')
        expect(kit.logged).toEqual([])
      }))

    it('whatever it returns, a middleware outside it can set headers after next()', () =>
      run(async (kit) => {
        for (const [method, path] of answers) {
          const { response, outer } = await kit.send(method, path, postBody(method))
          if ('response' in outer) expect(response.headers.get('x-kit-outer'), `${method} ${path}`).toBe('set after next()')
          await response.body?.cancel()
        }
      }))
  })
}

const postBody = (method: string): { body?: string; headers?: Record<string, string> } =>
  method === 'POST' ? { body: 'name=kit', headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}

/** `promise`, or a failure saying `why` when it takes more than a few seconds. */
function within<T>(promise: Promise<T>, why: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(why)), 5_000)
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

