import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { defineComponent } from '../../../core/index.js'
import { staticOptions } from './options.js'
import { createStatic } from './serve-static.js'

/**
 * Static files from a folder: ETag and Last-Modified with 304s, byte ranges,
 * Cache-Control, precompressed `.br`/`.gz` siblings, HEAD. Paths that try to
 * leave the folder (`..`, encoded slashes, backslashes, NUL, symlinks pointing
 * out) and dotfiles are never served.
 *
 * @example
 * import serveStatic from 'dovetailjs/components/middleware/static'
 * defineConfig({ components: { middleware: [serveStatic({ root: 'public', prefix: '/static', maxAge: 31536000, immutable: true })] } })
 */
export const serveStatic = defineComponent({
  name: 'middleware/static',
  slot: 'middleware',
  contract: '^1.0',
  options: staticOptions,
  middleware: (_app, options) => createStatic(options),
  async start(_app, options) {
    // Fail at boot, not on the first request, when the folder is wrong.
    const root = resolve(options.root)
    const stats = await stat(root).catch(() => undefined)
    if (!stats?.isDirectory()) {
      throw new Error(
        `middleware/static: option 'root' is '${options.root}' (${root}), which ${stats ? 'is not a folder' : 'does not exist'}. ` +
          'Point root at the folder of files to serve; a relative path is resolved against the working directory.',
      )
    }
  },
})
