import { createError } from '../../../core/index.js'

// The code middleware/session owns. It has a row under middleware/session in
// docs/errors.md; a test checks both ways. DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE
// is the session-store contract's, so the core owns it.
export const SessionNoMiddleware = createError(
  'DOVETAIL_ERR_SESSION_NO_MIDDLEWARE',
  'session(ctx) was called in a request the session middleware did not handle: it is missing from components.middleware, or listed after the caller.',
)

/**
 * Every error code middleware/session raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/session'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_SESSION_NO_MIDDLEWARE']
 */
export const errorCodes = Object.freeze([SessionNoMiddleware])
