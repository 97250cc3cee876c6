import { definePreset } from '../../core/index.js'
import { errorPages } from '../../components/middleware/error-pages/index.js'
import { securityHeaders } from '../../components/middleware/security-headers/index.js'

/**
 * A JSON-only API: the awilix container, the find-my-way router, the node:http
 * server, pino logs, MikroORM, and the middleware an API needs, outermost
 * first:
 *
 * 1. `request-log`: one line per request, a request id on every response;
 * 2. `security-headers`, with a CSP that allows nothing (API responses are never pages);
 * 3. `cors`: no origin allowed until the config lists some;
 * 4. `error-pages`, JSON only: errors become JSON responses here, so the three
 *    above log, decorate and CORS-enable them like any other response;
 * 5. `body`: JSON and form bodies with limits.
 *
 * @example
 * defineConfig({
 *   preset: 'api',
 *   components: { middleware: { replace: { cors: cors({ origin: ['https://app.example.com'] }) } } },
 * })
 */
export const api = definePreset({
  name: 'api',
  components: {
    container: 'awilix',
    router: 'radix',
    server: 'node',
    logger: 'pino',
    orm: 'mikro-orm',
    middleware: [
      'request-log',
      securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': "'none'", 'frame-ancestors': "'none'" } } }),
      'cors',
      errorPages({ format: 'json' }),
      'body',
    ],
  },
})

export default api
