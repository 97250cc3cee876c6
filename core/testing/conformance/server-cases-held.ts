import { expect } from 'vitest'
import { STREAM_FIRST, STREAM_REST } from '../server-conformance-data.js'
import { type KitTarget, requestId, within } from './server-target.js'

/**
 * How long a step that crosses the adapter (and a web server, and maybe a
 * process start) may take before the case says which step did not happen:
 * generous, since a busy CI machine starts a CGI program in seconds.
 */
const STEP = 10_000

/** The cases where the test and the app take turns: a stream held open, a request held in the handler. */
export const heldCases = {
  streaming: {
    title: 'a streamed response: the first chunk reaches the client before the app produces the next',
    async run({ url, channel }: KitTarget) {
      const id = requestId()
      // In finally too: a failed case must not leave the app holding the stream (a close would wait for it).
      const release = () => channel.send(`release-${id}`)
      try {
        const res = await within(fetch(`${url}/stream/${id}`), STEP, 'the response head arriving')
        expect(res.status).toBe(200)
        const reader = res.body!.getReader()
        const decoder = new TextDecoder()
        let seen = ''
        while (seen.length < STREAM_FIRST.length) {
          const chunk = await within(reader.read(), STEP, `the first chunk arriving while the app holds the rest (so far: '${seen}')`)
          expect(chunk.done, 'the body ended before the app was told to go on').toBe(false)
          seen += decoder.decode(chunk.value, { stream: true })
        }
        expect(seen).toBe(STREAM_FIRST)
        release()
        let rest = ''
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value, { stream: true })
        expect(rest + decoder.decode()).toBe(STREAM_REST)
      } finally {
        release()
      }
    },
  },
  'client-abort': {
    title: 'a client that disconnects mid-request aborts request.signal in the app',
    async run({ url, channel }: KitTarget) {
      const id = requestId()
      const controller = new AbortController()
      const pending = fetch(`${url}/hold/${id}`, { signal: controller.signal }).catch(() => undefined)
      try {
        expect(await channel.received(`started-${id}`, STEP), 'the held request reaching the handler').toBe(true)
        controller.abort()
        expect(await channel.received(`aborted-${id}`, STEP), 'request.signal aborting after the client disconnected').toBe(true)
      } finally {
        controller.abort()
        channel.send(`release-${id}`)
        await pending
      }
    },
  },
  'graceful-close': {
    title: 'graceful close: close() refuses new requests, lets the one in flight finish, then resolves',
    fresh: true,
    async run(target: KitTarget) {
      const { url, channel } = target
      const id = requestId()
      try {
        // Settles either way, so a case that fails early leaves no unhandled rejection behind.
        const inFlight = fetch(`${url}/hold/${id}`).then(
          async (res) => ({ status: res.status, body: await res.text() }),
          (error: Error) => ({ failed: error.cause instanceof Error ? error.cause.message : error.message }),
        )
        expect(await channel.received(`started-${id}`, STEP), 'the held request reaching the handler').toBe(true)
        let closed = false
        const closing = target.close().then(() => void (closed = true))
        // New requests fail (connection refused, or a front server's 502/503); the app must not answer them.
        const late = await fetch(`${url}/hello/late`, { signal: AbortSignal.timeout(STEP) }).then(
          async (res) => `status ${res.status}: ${await res.text()}`,
          (error: Error) => `refused (${error.cause instanceof Error ? error.cause.message : error.message})`,
        )
        expect(late, 'a request sent after close() began').toMatch(/^(refused|status 5\d\d)/)
        expect(closed, 'close() resolved while a request was still in the handler').toBe(false)
        channel.send(`release-${id}`)
        expect(await within(inFlight, STEP, 'the in-flight response completing')).toEqual({ status: 200, body: 'released' })
        await within(closing, STEP, 'close() resolving once the request in flight finished')
      } finally {
        channel.send(`release-${id}`)
      }
    },
  },
} satisfies Record<string, { title: string; fresh?: boolean; run(target: KitTarget): Promise<void> }>
