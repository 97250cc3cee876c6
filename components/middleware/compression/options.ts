import { z } from 'zod'

/**
 * A content coding the compression middleware can produce.
 *
 * @example
 * const coding: Coding = negotiateEncoding(request.headers.get('accept-encoding'), ['br', 'gzip']) ?? 'gzip'
 */
export type Coding = 'br' | 'gzip'

/**
 * The compression middleware's options schema (zod), with defaults.
 *
 * @example
 * compressionOptions.parse({ threshold: 2048 }) // { threshold: 2048, encodings: ['br', 'gzip'], syncThreshold: 16384, gzipLevel: 6, brotliQuality: 4 }
 */
export const compressionOptions = z.strictObject({
  /** Bodies smaller than this many bytes (when their size is known) are sent as is: compressing them costs more than it saves. */
  threshold: z.number().int().nonnegative().default(1024),
  /** The codings on offer, best first; on equal q-values the earlier one wins. */
  encodings: z.array(z.enum(['br', 'gzip'])).min(1).default(['br', 'gzip']),
  /**
   * In-memory bodies up to this many bytes are compressed on the main thread; larger ones in
   * zlib's thread pool, so the event loop keeps serving while they are compressed. Handing a
   * body to the pool costs about 30–90 µs of CPU whatever its size (a zlib context, a callback,
   * a cross-thread wake-up), more than compressing 16 KiB of HTML takes at gzip 6 or brotli 4
   * (about 50 µs). 0 sends every body to the pool.
   */
  syncThreshold: z.number().int().nonnegative().default(16 * 1024),
  /** zlib level for gzip, 1 (fast) to 9 (small). */
  gzipLevel: z.number().int().min(1).max(9).default(6),
  /** Brotli quality, 0 to 11. The default 4 compresses better than gzip -6 at similar speed; 11 is for build-time precompression, not per request. */
  brotliQuality: z.number().int().min(0).max(11).default(4),
}).prefault({}) // so `compression()` needs no argument

/** Options of the compression middleware, as given in a config. */
export type CompressionOptions = z.input<typeof compressionOptions>
/** The same, validated and with defaults filled in. */
export type ResolvedCompressionOptions = z.output<typeof compressionOptions>
