import { lightResponseParts } from '../gateway/light-response.js'
import { findGetter } from './find-getter.js'
import { lazyReader } from './response-body-shadow.js'

/**
 * The exchanges a server has under way, as seen from the handler it was
 * given: one starts when the server calls the handler and ends when the
 * server has read the response body to its end or cancelled it (a body in
 * memory, or none, ends it at once), or when the server told the app the
 * client is gone by aborting `request.signal` (past that, the app's promise
 * is the app's business). What is left when `close()` resolves is a server
 * that did not finish, or did not let go of, what it started.
 */
export class ExchangeTracker {
  readonly #open = new Map<number, { where: string; state: 'in the handler' | 'with its response body neither read to the end nor cancelled'; signal: AbortSignal | undefined }>()
  #next = 0

  /** Track one call of the handler; the returned function passes its result back. */
  begin(request: Request, where: string): (response: unknown) => void {
    const id = this.#next++
    this.#open.set(id, { where, state: 'in the handler', signal: request?.signal })
    const end = () => this.#open.delete(id)
    return (response) => {
      const body = response && typeof response === 'object' ? bodyToWatch(response as Response) : undefined
      if (!body) return void end()
      this.#open.set(id, { where, state: 'with its response body neither read to the end nor cancelled', signal: request?.signal })
      watchEnd(response as Response, body, end)
    }
  }

  /** The exchanges still open whose signal was not aborted, described for a message. */
  unfinished(): string[] {
    return [...this.#open.values()].filter((e) => !e.signal?.aborted).map((e) => `${e.where} (${e.state})`)
  }
}

/** The getter of a streamed body the server has yet to read, or undefined when there is nothing to wait for. */
function bodyToWatch(response: Response): (() => unknown) | undefined {
  if (lightResponseParts(response)) return undefined
  const getter = findGetter(response, 'body')
  if (!getter || getter.call(response) === null) return undefined
  return getter
}

/**
 * Call `end` once the server has read the body to its end or cancelled it,
 * through `response.body` or a reader such as arrayBuffer(). The body is
 * shadowed by an own getter that hands out a stream in front of the real one,
 * which takes the real one's lock only when first read.
 */
function watchEnd(response: Response, getter: () => unknown, end: () => void): void {
  let front: ReadableStream<Uint8Array> | undefined
  Object.defineProperty(response, 'body', {
    configurable: true,
    get() {
      if (front) return front
      const reader = lazyReader(getter.call(response) as ReadableStream<Uint8Array>)
      front = new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            try {
              const chunk = await reader.read()
              if (chunk.done) {
                end()
                controller.close()
              } else controller.enqueue(chunk.value)
            } catch (error) {
              end()
              controller.error(error)
            }
          },
          cancel(reason) {
            end()
            return reader.cancel(reason)
          },
        },
        { highWaterMark: 0 },
      )
      return front
    },
  })
  // A server that reads the body whole (arrayBuffer(), text()) is done when that read settles.
  for (const name of ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const) {
    const original = (response as unknown as Record<string, unknown>)[name]
    if (typeof original !== 'function') continue
    Object.defineProperty(response, name, {
      configurable: true,
      writable: true,
      value: (...args: unknown[]) => {
        const read = (original as (...a: unknown[]) => Promise<unknown>).apply(response, args)
        void read.then(end, end)
        return read
      },
    })
  }
}
