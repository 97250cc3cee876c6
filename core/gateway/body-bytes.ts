/**
 * A request's whole body in memory, for body parsers, without a web stream
 * when the server adapter can do better.
 *
 * Why: on node, `request.body` is the node message wrapped in a
 * `ReadableStream` (its construction alone is several microseconds on Node
 * 20), read chunk by chunk through a reader and a promise per chunk. A small
 * JSON body arrives in one chunk; an adapter that has the node message can
 * collect it with two listeners instead. An adapter that can offers a reader
 * on the request under this registered symbol (a property of its request
 * class, like {@link clientAddressKey}); a parser asks {@link readBodyBytes}
 * and falls back to `request.body` itself when there is none.
 */
export const bodyBytesKey: unique symbol = Symbol.for('dovetail.bodyBytes')

/**
 * What an adapter's request offers under {@link bodyBytesKey}: read the whole
 * body, at most `limit` bytes. Returns `undefined` (not a promise) when it
 * cannot (the body was already read or handed out as a stream), so the caller
 * reads `request.body`. The promise resolves `undefined` when the body is
 * larger than `limit`: the reader then drops the rest as it arrives, so the
 * client still gets the answer (a 413). After it is called, `bodyUsed` is true
 * and other readers refuse the body, as after `request.arrayBuffer()`.
 */
export type BodyBytesReader = (limit: number) => Promise<Uint8Array | undefined> | undefined

type WithReader = Request & { [bodyBytesKey]?: BodyBytesReader }

/**
 * The adapter's way to read this request's whole body (see
 * {@link BodyBytesReader}), or `undefined` when it has none or cannot use it
 * now: then read `request.body`.
 *
 * @example
 * const pending = readBodyBytes(request, limit)
 * if (pending === undefined) return readFromStream(request.body, limit) // the standard way
 * const bytes = await pending
 * if (bytes === undefined) throw tooLarge(limit)
 */
export function readBodyBytes(request: Request, limit: number): Promise<Uint8Array | undefined> | undefined {
  const reader = (request as WithReader)[bodyBytesKey]
  return typeof reader === 'function' ? reader.call(request, limit) : undefined
}
