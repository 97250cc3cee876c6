import { defineComponent, openApiDocument, passThrough, Router } from '../../../core/index.js'
import { createOpenApiMiddleware } from './openapi-middleware.js'
import { openApiOptions } from './options.js'

/**
 * Serves the app's OpenAPI 3.1 document (`/openapi.json`) and an API
 * reference page (`/docs`, Swagger UI from the installed swagger-ui-dist,
 * nothing from a CDN). The document is made at startup from the `Router`
 * in the container, as `app.openapi()` makes it, so a route whose schema
 * cannot be documented stops the app then, naming the route. Off in
 * production unless `production: true`.
 *
 * @example
 * import { openapi } from 'dovetailjs/components/middleware/openapi'
 * defineConfig({ components: { middleware: [openapi({ info: { title: 'Notes', version: '1.0.0' } })] } })
 */
export const openapi = defineComponent({
  name: 'middleware/openapi',
  slot: 'middleware',
  contract: '^1.0',
  options: openApiOptions,
  middleware(app, options) {
    if (app.env === 'production' && !options.production) {
      // Nothing served: the paths fall through to the router like any other, and the pipeline leaves it out.
      return passThrough
    }
    const document = openApiDocument(app.resolve(Router), {
      info: options.info,
      servers: options.servers,
      resolve: app.resolve,
    })
    return createOpenApiMiddleware(document, options)
  },
})
