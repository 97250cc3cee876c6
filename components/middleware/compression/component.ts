import { defineComponent } from '../../../core/index.js'
import { createCompression } from './compress.js'
import { compressionOptions } from './options.js'

/**
 * Response compression: brotli or gzip, negotiated from `Accept-Encoding`
 * (q-values honoured, brotli first on a tie). Leaves alone small bodies, bodies
 * already encoded, types that are already compressed, HEAD, 204, 206 and 304.
 *
 * @example
 * import compression from 'dovetailjs/components/middleware/compression'
 * defineConfig({ components: { middleware: [compression({ threshold: 2048 })] } })
 * // or by name: components: { middleware: ['compression'] }
 */
export const compression = defineComponent({
  name: 'middleware/compression',
  slot: 'middleware',
  contract: '^1.0',
  options: compressionOptions,
  middleware: (_app, options) => createCompression(options),
})
