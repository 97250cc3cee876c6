import { defineComponent } from '../../../core/index.js'
import { createCors } from './cors.js'
import { corsOptions } from './options.js'

/**
 * CORS for JSON APIs, to the Fetch standard: allowed origins (a list, a
 * function, or '*'), methods, headers, credentials, preflights answered with
 * 204 before the router, and `Vary: Origin`. Allows no origin until told.
 *
 * @example
 * import { cors } from 'dovetailjs/components/middleware/cors'
 * defineConfig({ components: { middleware: [cors({ origin: ['https://app.example.com'], credentials: true })] } })
 */
export const cors = defineComponent({
  name: 'middleware/cors',
  slot: 'middleware',
  contract: '^1.0',
  options: corsOptions,
  middleware: (_app, options) => createCors(options),
})
