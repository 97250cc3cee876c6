import type { BreachLog } from './breach-log.js'
import { findGetter } from './find-getter.js'
import { lazyReader, shadowReaders } from './response-body-shadow.js'

/**
 * Watch a streamed response body as the server reads it: each chunk must be
 * bytes, the stream must not leave the server waiting longer than `timeout`
 * for its next chunk or its end, and it must end with as many bytes as a
 * content-length promised.
 *
 * The server reads `response.body` (or `arrayBuffer()` and the other
 * readers), shadowed here by own properties that read through a watching
 * stream in front of the app's. The app's stream is locked only when the
 * server first pulls, so looking at `response.body` changes nothing.
 * `highWaterMark: 0`: it pulls only when the server asks, so the timer runs
 * only while the server is waiting.
 */
export function watchResponseBody(response: Response, where: string, log: BreachLog, timeout: number): void {
  const bodyGetter = findGetter(response, 'body')
  if (!bodyGetter) return
  const declared = response.headers.get('content-length')
  let watching: ReadableStream<Uint8Array> | undefined
  const watched = () => (watching ??= watch(bodyGetter.call(response) as ReadableStream<Uint8Array>))
  Object.defineProperty(response, 'body', { configurable: true, get: watched })
  shadowReaders(response, watched)

  function watch(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = lazyReader(source)
    let bytes = 0
    const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: Error) => {
      controller.error(error)
      void reader.cancel(error).catch(() => {})
    }
    return new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          let stalled = false
          const timer = setTimeout(() => {
            stalled = true
            const error = log.note(
              'stream-not-closed',
              `${where}: the response body produced nothing and did not close for ${timeout} ms while the server waited for it (after ${bytes} bytes). ` +
                'Call controller.close() when the body is done, and make sure every pull() either enqueues, closes or errors.',
            )
            if (log.throws) fail(controller, error)
          }, timeout)
          // The timer must not keep a process alive on its own (a CGI program exits once its one response is out).
          ;(timer as { unref?: () => void }).unref?.()
          let chunk: ReadableStreamReadResult<Uint8Array>
          try {
            chunk = await reader.read()
          } finally {
            clearTimeout(timer)
          }
          if (stalled && log.throws) return
          if (chunk.done) {
            if (declared !== null && Number(declared) !== bytes) {
              const error = log.note('content-length-mismatch', `${where}: the response declares content-length: ${declared} but its body had ${bytes} bytes. Drop the header (the server counts) or make it match.`)
              if (log.throws) return controller.error(error)
            }
            return controller.close()
          }
          if (!(chunk.value instanceof Uint8Array)) {
            const error = log.note(
              'body-chunk-not-bytes',
              `${where}: the response body produced ${describeChunk(chunk.value)}; a body stream must produce Uint8Array chunks. Encode text with new TextEncoder().encode(...).`,
            )
            if (log.throws) return fail(controller, error)
          } else bytes += chunk.value.byteLength
          controller.enqueue(chunk.value)
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    )
  }
}

function describeChunk(value: unknown): string {
  if (typeof value === 'string') return 'a string chunk'
  if (value === null || value === undefined) return `a ${String(value)} chunk`
  return `a chunk of type ${Object.getPrototypeOf(value)?.constructor?.name ?? typeof value}`
}
