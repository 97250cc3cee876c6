import { mkdir } from 'node:fs/promises'
import { BodyReader, defineComponent } from '../../../core/index.js'
import { createBodyParser } from './body-parser.js'
import { bodyOptions } from './options.js'
import { readSchemaBody } from './schema-body.js'

/**
 * Request bodies: JSON, urlencoded and multipart forms (files streamed to temp
 * files or kept in memory), with limits on every dimension. Handlers read the
 * body with `readBody`, `readJson` or `readForm`.
 *
 * @example
 * import body, { readJson } from 'dovetailjs/components/middleware/body'
 * defineConfig({
 *   components: { middleware: [body({ limits: { body: 256 * 1024 } })] },
 *   routes(r) { r.post('/api/notes', async (ctx) => ctx.json(await readJson(ctx), { status: 201 })) },
 * })
 */
export const body = defineComponent({
  name: 'middleware/body',
  slot: 'middleware',
  contract: '^1.0',
  options: bodyOptions,
  // The body a route's body schema validates (docs/validation.md), read with this component's limits.
  register(c) {
    c.value(BodyReader, readSchemaBody)
  },
  middleware: (_app, options) => createBodyParser(options),
  async start(_app, options) {
    // Fail at boot, not on the first upload.
    if (!options.types.includes('multipart')) return
    try {
      await import('busboy')
    } catch {
      throw new Error("middleware/body: option 'types' includes 'multipart', which needs the busboy package. Install it (npm install busboy) or leave 'multipart' out of types.")
    }
    if (options.uploads.storage === 'disk') {
      try {
        await mkdir(options.uploads.dir, { recursive: true })
      } catch (error) {
        throw new Error(`middleware/body: option 'uploads.dir' is '${options.uploads.dir}', which cannot be created (${(error as Error).message}). Point it at a writable folder.`)
      }
    }
  },
})
