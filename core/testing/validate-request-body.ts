import type { BreachLog } from './breach-log.js'
import { findGetter } from './find-getter.js'

/** The ways an app reads a request body whole. */
const readers = ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const

/**
 * Watch one request's body for a second read. The request stays the very
 * object the server made (adapters keep state on it, such as the client
 * address); only its readers are shadowed by own properties that note the
 * read before calling the real one. A second read would fail anyway, with
 * "Body is unusable"; the point is to say which two reads collided.
 *
 * Reads from inside a reader (text() takes the stream's reader itself) are
 * one read, not two: `depth` counts the calls under way.
 */
export function watchRequestBody(request: Request, log: BreachLog, where: string): void {
  let first: string | undefined
  let depth = 0
  const read = <A extends unknown[], R>(how: string, original: (...args: A) => R, self: object) =>
    function watchedRead(...args: A): R {
      if (depth === 0) {
        if (first === undefined) first = how
        else {
          log.raise(
            'body-read-twice',
            `${where}: the request body was read twice, first by ${first}, then by ${how}. A body is a stream and can be read once: ` +
              'keep what the first read returned, or call request.clone() before the first read.',
          )
        }
      }
      depth++
      try {
        return original.apply(self, args)
      } finally {
        depth--
      }
    }

  for (const name of readers) {
    const original = (request as unknown as Record<string, unknown>)[name]
    if (typeof original !== 'function') continue
    Object.defineProperty(request, name, { configurable: true, writable: true, value: read(`request.${name}()`, original as (...a: unknown[]) => unknown, request) })
  }

  // The stream itself: the first getReader() is a read (what a streaming handler or a body parser does).
  const bodyGetter = findGetter(request, 'body')
  if (!bodyGetter) return
  const watched = new WeakSet<object>()
  Object.defineProperty(request, 'body', {
    configurable: true,
    get() {
      const stream = bodyGetter.call(request) as ReadableStream<Uint8Array> | null
      if (stream && !watched.has(stream)) {
        watched.add(stream)
        Object.defineProperty(stream, 'getReader', { configurable: true, writable: true, value: read('request.body.getReader()', stream.getReader, stream) })
      }
      return stream
    },
  })
}
