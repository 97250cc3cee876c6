import { ServerBodyLength } from '../errors/codes.js'
import { HttpError } from '../errors/http-error.js'

/** Bytes a body holds before it asks its source to pause. */
const highWaterMark = 64 * 1024

/**
 * How a {@link PushedBody} is bounded, and how it asks its source for more.
 *
 * @example
 * const options: PushedBodyOptions = { maxBodySize: 1024 * 1024, limitName: '@acme/server-foo option maxBodySize', resume: () => socket.resume() }
 */
export interface PushedBodyOptions {
  /** Largest body accepted; more fails the stream with a 413 `HttpError`. */
  maxBodySize: number
  /** Which option sets that limit, for the error message (`server/fastcgi option maxBodySize`). */
  limitName: string
  /**
   * The length the web server declared (CONTENT_LENGTH), if it did. A body
   * that runs past it, or ends short of it, fails with a 400 `HttpError`
   * (`DOVETAIL_ERR_SERVER_BODY_LENGTH`) instead of reaching the app as if it
   * were whole. Without it the body is whatever arrives before `end()`.
   */
  length?: number | undefined
  /** The consumer wants more after a push returned false: resume the source. */
  resume(): void
}

/**
 * A request body that a protocol parser pushes bytes into (FastCGI STDIN
 * records, the rest of an SCGI request, a CGI program's stdin), read by the
 * app as a web stream with backpressure.
 *
 * Why not a plain ReadableStream: the parser must keep reading the connection
 * when nobody reads the body any more (the app answered first, cancelled it, or
 * it went over the limit), or the web server, still sending, would never read
 * the response. Such bytes are dropped, as node:http drops a body nobody reads.
 *
 * @example
 * const body = new PushedBody({ maxBodySize, limitName: '@acme/server-foo option maxBodySize', resume: () => socket.resume() })
 * socket.on('data', (chunk) => { if (!body.push(chunk) && !body.discarding) socket.pause() })
 * socket.once('end', () => body.end())
 * const request = cgiRequest(params, { body: body.stream })
 */
export class PushedBody {
  /** The body as the app reads it: `request.body`. */
  readonly stream: ReadableStream<Uint8Array>
  #controller!: ReadableStreamDefaultController<Uint8Array>
  readonly #options: PushedBodyOptions
  #received = 0
  #settled = false

  constructor(options: PushedBodyOptions) {
    this.#options = options
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.#controller = controller
        },
        pull: () => options.resume(),
        cancel: () => {
          this.#settled = true
          options.resume()
        },
      },
      { highWaterMark, size: (chunk) => chunk.byteLength },
    )
  }

  /** No longer delivering bytes: they are dropped. */
  get discarding(): boolean {
    return this.#settled
  }

  /** Deliver bytes. False means "pause the source until resume()". */
  push(chunk: Uint8Array): boolean {
    if (this.#settled) return true
    this.#received += chunk.byteLength
    const { length } = this.#options
    if (length !== undefined && this.#received > length) {
      this.fail(ServerBodyLength(`The request body is longer than the ${length} bytes its CONTENT_LENGTH announced.`))
      return true
    }
    if (this.#received > this.#options.maxBodySize) {
      this.fail(
        new HttpError(413, `The request body is larger than ${this.#options.maxBodySize} bytes (${this.#options.limitName}).`),
      )
      return true
    }
    this.#controller.enqueue(chunk)
    return (this.#controller.desiredSize ?? 0) > 0
  }

  /** The source has sent the whole body: close the stream (or fail it, when it is shorter than its declared `length`). */
  end(): void {
    if (this.#settled) return
    const { length } = this.#options
    if (length !== undefined && this.#received < length) {
      return this.fail(ServerBodyLength(`The request body ended after ${this.#received} of the ${length} bytes its CONTENT_LENGTH announced.`))
    }
    this.#settled = true
    this.#controller.close()
  }

  /** The source failed (or the body is refused): error the stream and resume the source so it can drain. */
  fail(error: Error): void {
    if (this.#settled) return
    this.#settled = true
    this.#controller.error(error)
    this.#options.resume()
  }
}
