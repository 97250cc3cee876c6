import { createError } from '../../../core/index.js'

// The codes session-store/cookie owns. Each has a row under
// session-store/cookie in docs/errors.md; a test checks both ways.
export const SessionCookieTooLarge = createError('DOVETAIL_ERR_SESSION_COOKIE_TOO_LARGE', 'The cookie session store was given more data than fits in a cookie (its maxBytes option).')
export const SessionNoSecrets = createError('DOVETAIL_ERR_SESSION_NO_SECRETS', 'The cookie session store has no secrets: give it the secrets option or add the session middleware.')

/**
 * Every error code session-store/cookie raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/session-store/cookie'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_SESSION_COOKIE_TOO_LARGE', 'DOVETAIL_ERR_SESSION_NO_SECRETS']
 */
export const errorCodes = Object.freeze([SessionCookieTooLarge, SessionNoSecrets])
