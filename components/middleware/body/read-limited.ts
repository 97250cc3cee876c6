import { type HttpError, readBodyBytes } from '../../../core/index.js'

/**
 * The body's bytes, refusing more than `limit`: first by the declared
 * `Content-Length` (nothing is read), then by counting while reading, for a body
 * without a length or with a false one.
 *
 * Past the limit, the rest of the body is read and thrown away in the
 * background (see {@link discardRest}), so the client gets its 413.
 *
 * Through the server adapter's own reader when it has one (`readBodyBytes`:
 * the node server collects the node message without a web stream), else
 * through `request.body`.
 */
export async function readLimited(request: Request, limit: number, tooLarge: () => HttpError): Promise<Uint8Array> {
  assertDeclaredLength(request, limit, tooLarge)
  const collected = readBodyBytes(request, limit)
  if (collected !== undefined) {
    const bytes = await collected
    if (bytes === undefined) throw tooLarge()
    return bytes
  }
  const body = request.body
  if (!body) return new Uint8Array(0)
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      discardRest(reader)
      throw tooLarge()
    }
    chunks.push(value)
  }
  reader.releaseLock()
  return Buffer.concat(chunks, total)
}

/**
 * Read what is left of a refused body and drop it, in the background.
 *
 * Why not cancel: on node, cancelling the request's stream destroys the socket
 * before the error response is written. Why not just stop: node then leaves
 * the body unread, the client blocks on a full TCP window and never reads the
 * 413, and the keep-alive timeout resets the connection. Draining is what node
 * itself does with a body nobody read; the server's request timeout bounds it.
 */
export function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): void {
  void (async () => {
    try {
      while (!(await reader.read()).done) {
        // discard
      }
    } catch {
      // The client went away: nothing left to drain.
    }
  })()
}

/** Throw before reading anything when the client already says the body is too large. */
export function assertDeclaredLength(request: Request, limit: number, tooLarge: () => HttpError): void {
  const declared = request.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) throw tooLarge()
}
