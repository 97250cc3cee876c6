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

const internalError = Buffer.from('Status: 500 Internal Server Error\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: 21\r\n\r\nInternal Server Error', 'latin1')

/**
 * Call the fetch handler and write its response as a CGI response, streaming
 * the body with backpressure. A handler that throws gets a bare 500 (Dovetail
 * apps never throw; a bare fetch handler might) and `onError` hears about it.
 * Rejects when the body stream fails after the head went out: the caller must
 * then cut the connection, so the web server sees a truncated response rather
 * than a complete-looking one.
 *
 * @example
 * await answerCgi(app.fetch, cgiRequest(params, { body: null }), out, failureLog('@acme/server-foo', logger))
 */
export async function answerCgi(
  handler: FetchHandler,
  request: Request,
  out: CgiOutput,
  onError: (error: unknown, message: string) => void,
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
  const writing = out.write(head)
  if (writing) await writing
  if (stream) await pipe(stream, out)
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

async function pipe(stream: ReadableStream<Uint8Array>, out: CgiOutput): Promise<void> {
  const reader = stream.getReader()
  const cancel = () => void reader.cancel(new Error('The web server closed the connection')).catch(() => {})
  if (out.gone) return cancel()
  const stopListening = out.onGone(cancel)
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done || out.gone) return
      if (value.byteLength === 0) continue
      const writing = out.write(value)
      if (writing) await writing
    }
  } finally {
    stopListening()
  }
}
