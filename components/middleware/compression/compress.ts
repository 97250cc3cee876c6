import { appendVary, editHeaders, LightHeaders, lightResponse, lightResponseParts, type Middleware, negotiateEncoding } from '../../../core/index.js'
import { compressBytes, compressStream } from './compress-stream.js'
import { isCompressible } from './compressible.js'
import type { ResolvedCompressionOptions } from './options.js'

/** Statuses whose responses have no body to compress, or one that must not change (206: its byte ranges refer to the identity body). */
const untouchedStatuses = new Set([204, 206, 304])

/**
 * The compression middleware: gzip or brotli by `Accept-Encoding`. In-memory
 * bodies are compressed in one go (on this thread up to `syncThreshold` bytes,
 * else in zlib's thread pool); streamed bodies are compressed as a stream and
 * stay one. Either way the identity body's `Content-Length` is removed. The component `compression` wraps this; use it directly only to
 * put compression in `config.middleware` by hand.
 *
 * @example
 * const mw = createCompression({ threshold: 1024, encodings: ['br', 'gzip'], syncThreshold: 16384, gzipLevel: 6, brotliQuality: 4 })
 */
export function createCompression(options: ResolvedCompressionOptions): Middleware {
  const levels = { gzipLevel: options.gzipLevel, brotliQuality: options.brotliQuality }
  return async function compression(ctx, next) {
    const response = await next()
    const headers = response.headers
    if (untouchedStatuses.has(response.status) || headers.has('content-encoding')) return response
    if (!isCompressible(headers.get('content-type'))) return response
    if (/(?:^|,)\s*no-transform\s*(?:,|$)/i.test(headers.get('cache-control') ?? '')) return response

    // From here the response could be encoded, so caches must key it by Accept-Encoding
    // even when this client (or this small body) gets it as is.
    const light = lightResponseParts(response)
    if (ctx.request.method === 'HEAD') return editHeaders(response, (h) => appendVary(h, 'Accept-Encoding'))
    const coding = negotiateEncoding(ctx.request.headers.get('accept-encoding'), options.encodings)
    // An in-memory body is encoded to bytes once, here, for both the size check and zlib.
    const bytes = light ? bodyBytes(light.body, options.threshold) : undefined
    const size = light ? undefined : lengthHeader(headers)
    const small = light ? bytes === undefined : size === 0 || (size !== undefined && size < options.threshold)
    if (!coding || small || (!light && !response.body)) {
      return editHeaders(response, (h) => appendVary(h, 'Accept-Encoding'))
    }

    // A light response keeps light headers (a Map, written out unsorted): an undici Headers here
    // would be converted and sorted again by every middleware and the server after it.
    const encoded = light ? new LightHeaders(light.headers) : new Headers(headers)
    appendVary(encoded, 'Accept-Encoding')
    encoded.set('content-encoding', coding)
    encoded.delete('content-length')
    // Byte ranges of the encoded body would not match the identity body's.
    encoded.delete('accept-ranges')
    const etag = encoded.get('etag')
    // The encoded bytes differ from what a strong ETag promised.
    if (etag && !etag.startsWith('W/')) encoded.set('etag', `W/${etag}`)

    if (light) {
      // No Content-Length here: whoever writes a light response out counts its bytes.
      return lightResponse(await compressBytes(bytes!, coding, levels, options.syncThreshold), light.status, encoded)
    }
    return new Response(response.body!.pipeThrough(compressStream(coding, levels)), {
      status: response.status,
      statusText: response.statusText,
      headers: encoded,
    })
  }
}

/**
 * The body as bytes, or `undefined` when it is empty or under `threshold` bytes
 * (not worth compressing). A string is encoded only when it may reach the
 * threshold: its UTF-8 takes at most 3 bytes per UTF-16 unit.
 */
function bodyBytes(body: string | Uint8Array | null, threshold: number): Uint8Array | undefined {
  if (body === null) return undefined
  if (typeof body === 'string') {
    if (body.length === 0 || body.length * 3 < threshold) return undefined
    body = Buffer.from(body, 'utf8')
  }
  return body.byteLength === 0 || body.byteLength < threshold ? undefined : body
}

function lengthHeader(headers: Headers): number | undefined {
  const value = headers.get('content-length')
  if (value === null || !/^\d+$/.test(value.trim())) return undefined
  return Number(value)
}
