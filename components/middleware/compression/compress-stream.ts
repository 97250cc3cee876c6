import zlib from 'node:zlib'
import { promisify } from 'node:util'
import type { Coding } from './options.js'

export interface CompressionLevels {
  gzipLevel: number
  brotliQuality: number
}

const gzip = promisify(zlib.gzip)
const brotli = promisify(zlib.brotliCompress)

const brotliParams = (levels: CompressionLevels, size?: number) => ({
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: levels.brotliQuality,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
    ...(size === undefined ? {} : { [zlib.constants.BROTLI_PARAM_SIZE_HINT]: size }),
  },
})

/**
 * Compress a body that is already in memory: up to `syncThreshold` bytes on
 * this thread (cheaper than the hand-off), larger ones in zlib's thread pool.
 */
export function compressBytes(body: Uint8Array, coding: Coding, levels: CompressionLevels, syncThreshold: number): Buffer | Promise<Buffer> {
  const size = body.byteLength
  if (size <= syncThreshold) {
    return coding === 'br' ? zlib.brotliCompressSync(body, brotliParams(levels, size)) : zlib.gzipSync(body, gzipParams(levels, size))
  }
  return coding === 'br' ? brotli(body, brotliParams(levels, size)) : gzip(body, gzipParams(levels, size))
}

/**
 * gzip options for a body of `size` bytes. The window is only as large as the
 * body needs: zlib sets up (and clears) a window, its hash chains and its
 * output buffer for every stream, 256 KiB at the default 32 KiB window, and a
 * 3 KiB page uses a tenth of that. While the whole body plus zlib's lookahead
 * (262 bytes) fits in the window, every match zlib could find is still within
 * reach, so the output is byte for byte the same; gzip's header records no
 * window size.
 */
function gzipParams(levels: CompressionLevels, size: number): zlib.ZlibOptions {
  let windowBits = 9 // zlib's smallest for gzip
  while (windowBits < 15 && 1 << windowBits < size + 262) windowBits++
  return { level: levels.gzipLevel, windowBits }
}

/**
 * A web TransformStream that compresses with node:zlib and flushes after every
 * chunk it is given. Why flush: zlib otherwise holds output until it has 16 KiB,
 * so a response streamed a piece at a time (progress, long polls, a rendered
 * page sent head first) would reach the client only at the end. A sync flush
 * costs a few bytes per chunk, not the stream's compression.
 */
export function compressStream(coding: Coding, levels: CompressionLevels): TransformStream<Uint8Array, Uint8Array> {
  const engine = coding === 'br' ? zlib.createBrotliCompress(brotliParams(levels)) : zlib.createGzip({ level: levels.gzipLevel })
  const flushKind = coding === 'br' ? zlib.constants.BROTLI_OPERATION_FLUSH : zlib.constants.Z_SYNC_FLUSH
  return new TransformStream<Uint8Array, Uint8Array>({
    start(controller) {
      engine.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)))
      engine.on('error', (error) => controller.error(error))
    },
    transform(chunk) {
      return new Promise<void>((resolve) => {
        engine.write(chunk)
        engine.flush(flushKind, () => resolve())
      })
    },
    flush() {
      return new Promise<void>((resolve, reject) => {
        engine.once('end', resolve)
        engine.once('error', reject)
        engine.end()
      })
    },
  })
}
