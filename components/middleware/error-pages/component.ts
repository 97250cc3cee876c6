import { defineComponent, Environment, ErrorRenderer, Logger } from '../../../core/index.js'
import { createErrorPageRenderer, createErrorPages } from './error-pages.js'
import { errorPagesOptions } from './options.js'

/**
 * Error responses for people and programs. In development, a debug page for
 * uncaught errors: the error, the component that threw it, each app frame with
 * its source, and the request (credentials redacted). In production, a plain
 * page with the request id and never a stack. JSON for JSON clients. Also the
 * app's `ErrorRenderer`, so 404 and 405 pages look the same.
 *
 * @example
 * import { errorPages } from 'dovetailjs/components/middleware/error-pages'
 * defineConfig({ components: { middleware: ['request-log', errorPages({ contextLines: 5 })] } })
 * // or by name: components: { middleware: ['request-log', 'error-pages'] }
 */
export const errorPages = defineComponent({
  name: 'middleware/error-pages',
  slot: 'middleware',
  contract: '^1.0',
  options: errorPagesOptions,
  register(c, options) {
    c.singleton(ErrorRenderer, (resolve) => createErrorPageRenderer(options, resolve(Environment)))
  },
  middleware: (app) => createErrorPages(app.env, app.resolve(Logger), app.resolve(ErrorRenderer)),
})
