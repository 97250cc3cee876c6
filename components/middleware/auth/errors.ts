import { createError } from '../../../core/index.js'

// The codes middleware/auth owns. Each has a row under middleware/auth in
// docs/errors.md; a test checks both ways.
export const AuthUnauthenticated = createError('DOVETAIL_ERR_AUTH_UNAUTHENTICATED', '401: the route needs a signed-in user (HTML requests are redirected to the login page instead).', 401)
export const AuthForbidden = createError('DOVETAIL_ERR_AUTH_FORBIDDEN', '403: the signed-in user lacks the role or permission the route needs.', 403)
export const AuthRateLimited = createError('DOVETAIL_ERR_AUTH_RATE_LIMITED', "429: too many failed logins for this account or address; retry after the Retry-After header's seconds.", 429)
export const AuthNoUserLoader = createError('DOVETAIL_ERR_AUTH_NO_USER_LOADER', 'The auth middleware has no way to load a user: give it loadUser or register the UserLoader token.')
export const AuthNoMiddleware = createError('DOVETAIL_ERR_AUTH_NO_MIDDLEWARE', 'An auth helper (currentUser, login, a guard) was used in a request the auth middleware did not handle.')
export const AuthBadHash = createError('DOVETAIL_ERR_AUTH_BAD_HASH', 'verifyPassword was given a stored hash that hashPassword did not produce.')

/**
 * Every error code middleware/auth raises, with its meaning and status.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/auth'
 * errorCodes.find((c) => c.status === 429)?.code // 'DOVETAIL_ERR_AUTH_RATE_LIMITED'
 */
export const errorCodes = Object.freeze([AuthUnauthenticated, AuthForbidden, AuthRateLimited, AuthNoUserLoader, AuthNoMiddleware, AuthBadHash])
