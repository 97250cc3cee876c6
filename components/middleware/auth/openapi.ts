import type { OpenApiSecurityNote } from '../../../core/index.js'
import { SessionCookieName } from '../session/index.js'

/**
 * The security scheme the auth guards check, as OpenAPI writes it: the
 * session cookie (an `apiKey` in a cookie, named as middleware/session's
 * `cookie.name` option says, read from the container when the document is
 * made). `requireUser`, `requireRole` and `requirePermission` put it on the
 * routes they guard, so `app.openapi()` lists it under
 * `components.securitySchemes.session` and on those operations. A guard of
 * your own that checks the same sign-in notes it too.
 *
 * @example
 * import { withOpenApi } from 'dovetailjs'
 * import { sessionSecurity } from 'dovetailjs/components/middleware/auth'
 * const requireBetaUser = withOpenApi<Middleware>(async (ctx, next) => ((await currentUser(ctx))?.beta ? next() : ctx.json({}, { status: 403 })), {
 *   security: sessionSecurity,
 *   responses: { 403: 'Not in the beta' },
 * })
 */
export const sessionSecurity: OpenApiSecurityNote = Object.freeze<OpenApiSecurityNote>({
  name: 'session',
  scheme: (resolve) => ({
    type: 'apiKey',
    in: 'cookie',
    name: resolve(SessionCookieName),
    description: 'The session cookie middleware/session sets; sign in to get one.',
  }),
})
