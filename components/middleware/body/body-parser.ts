import type { Middleware } from '../../../core/index.js'
import type { ResolvedBodyOptions } from './options.js'
import { attachBodyState, BodyState, hasReadableBody, readBody } from './read-body.js'

/**
 * The body middleware: makes `readBody`/`readJson`/`readForm` work for the
 * request (or parses up front with `eager`), and once the response is ready,
 * deletes the temp files of uploads the handler did not move away.
 * The component `body` wraps this.
 *
 * @example
 * const mw = createBodyParser(bodyOptions.parse({ limits: { body: 64 * 1024 } }))
 */
export function createBodyParser(options: ResolvedBodyOptions): Middleware {
  return async function bodyParser(ctx, next) {
    const state = new BodyState(options)
    attachBodyState(ctx, state)
    try {
      if (options.eager && hasReadableBody(ctx.request, options)) await readBody(ctx)
      return await next()
    } finally {
      const cleaning = state.cleanup()
      if (cleaning) await cleaning
    }
  }
}
