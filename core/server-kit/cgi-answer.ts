import type { FetchHandler } from '../gateway/fetch-handler.js'
import { cgiResponseParts } from './cgi-response.js'

/**
 * Where a CGI-style response goes: stdout, FastCGI STDOUT records, an SCGI
 * socket. The adapter says how bytes are written and when the web server is
 * gone; {@link answerCgi} does the rest.
 *
 * @example
 * const hangup = new Hangup()
 * socket.once('close', () => hangup.fire(new Error('the web server closed the connection')))
 * const out: CgiOutput = { write: batchedWriter(socket), get gone() { return hangup.happened }, onGone: (l) => hangup.on(l) }
 */
export interface CgiOutput {
  /** Write bytes; a returned promise means "wait before writing more". */
  write(bytes: Uint8Array): void | Promise<void>
  /** True once the web server is gone and nothing more can be written. */
  readonly gone: boolean
  /** Call `listener` when the web server goes; returns a function that stops listening. */
  onGone(listener: () => void): () => void
}

/**
 * How {@link answerCgi} writes a streamed body.
 *
 * @example
 * await answerCgi(handler, request, out, log, { holdHead: true })
 */
export interface AnswerCgiOptions {
  /**
   * Hold the head back until the body's first chunk (or its end), so that a
   * stream failing before it produced anything is answered with a bare 500
   * instead of a head and an empty body. For CGI: a web server takes the end
   * of stdout for the end of the response, whatever the exit status (lighttpd
   * 1.4.69 ends it with the closing chunk), so a failure is visible only
   * while the head is still unsent. A socket adapter cuts the connection
   * instead, and sends the head at once (an event stream's headers should
   * not wait for its first event). @default false
   */
  holdHead?: boolean
}

const internalError = Buffer.from('Status: 500 Internal Server Error\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 21\r\n\r\nInternal Server Error', 'latin1')

/**
 * Call the fetch handler and write its response as a CGI response, streaming
 * the body with backpressure. A handler that throws gets a bare 500 (Dovetail
 * apps never throw; a bare fetch handler might) and `onError` hears about it.
 * Rejects when the body stream fails after the head went out: the caller must
 * then cut the connection, so the web server sees a truncated response rather
 * than a complete-looking one (under CGI, where nothing can be cut, exit
 * non-zero). With `holdHead`, a stream that fails before its first chunk gets
 * the bare 500 instead.
 *
 * @example
 * await answerCgi(app.fetch, cgiRequest(params, { body: null }), out, failureLog('@acme/server-foo', logger))
 */
export async function answerCgi(
  handler: FetchHandler,
  request: Request,
  out: CgiOutput,
  onError: (error: unknown, message: string) => void,
  options: AnswerCgiOptions = {},
): Promise<void> {
  let response: Response
  try {
    response = await handler(request)
  } catch (error) {
    onError(error, 'the fetch handler failed')
    if (!out.gone) await out.write(internalError)
    return
  }
  const { head, body, stream } = cgiResponseParts(response, request.method)
  if (out.gone) {
    void stream?.cancel().catch(() => {})
    return
  }
  if (body !== null && body.byteLength > 0) {
    await out.write(Buffer.concat([head, body]))
    return
  }
  if (!stream) {
    const writing = out.write(head)
    if (writing) await writing
    return
  }
  const unsent = await pipe(stream, head, out, options.holdHead ?? false)
  if (unsent) {
    onError(unsent.error, 'the response body failed before its first byte; answered 500 instead')
    if (!out.gone) await out.write(internalError)
  }
}

/**
 * {@link answerCgi} on a FastCGI or SCGI connection: `onAnswered` runs once the
 * response is written; a body that fails after the head went out is logged and
 * the connection cut, so the web server sees a truncated response.
 *
 * @example
 * answerCgiOnSocket(handler, request, out, log, connection.socket, () => connection.finish())
 */
export function answerCgiOnSocket(
  handler: FetchHandler,
  request: Request,
  out: CgiOutput,
  log: (error: unknown, message: string) => void,
  socket: { destroy(): void },
  onAnswered: () => void,
): void {
  answerCgi(handler, request, out, log).then(onAnswered, (error: unknown) => {
    log(error, 'the response body failed after its head was sent; cutting the connection')
    socket.destroy()
  })
}

/**
 * Write `head`, then the stream's chunks as they come. When `holdHead`, the
 * head goes out with the first chunk, and a stream that fails before it is
 * reported in the result (nothing was written) rather than thrown.
 */
async function pipe(stream: ReadableStream<Uint8Array>, head: Buffer, out: CgiOutput, holdHead: boolean): Promise<{ error: unknown } | undefined> {
  const reader = stream.getReader()
  const cancel = () => void reader.cancel(new Error('The web server closed the connection')).catch(() => {})
  if (out.gone) return void cancel()
  const stopListening = out.onGone(cancel)
  let unsent: Buffer | undefined = head
  try {
    if (!holdHead) {
      unsent = undefined
      const writing = out.write(head)
      if (writing) await writing
    }
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>
      try {
        chunk = await reader.read()
      } catch (error) {
        if (unsent) return { error }
        throw error
      }
      if (out.gone) return
      if (chunk.done) {
        if (unsent) await out.write(unsent)
        return
      }
      if (chunk.value.byteLength === 0) continue
      const bytes = unsent ? Buffer.concat([unsent, chunk.value]) : chunk.value
      unsent = undefined
      const writing = out.write(bytes)
      if (writing) await writing
    }
  } finally {
    stopListening()
  }
}
