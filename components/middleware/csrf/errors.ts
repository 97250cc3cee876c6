import { createError } from '../../../core/index.js'

// The codes middleware/csrf owns. Each has a row under middleware/csrf in
// docs/errors.md; a test checks both ways.
export const CsrfTokenMissing = createError('DOVETAIL_ERR_CSRF_TOKEN_MISSING', '403: an unsafe form request carried no CSRF token (form field _csrf or header x-csrf-token).', 403)
export const CsrfTokenInvalid = createError('DOVETAIL_ERR_CSRF_TOKEN_INVALID', "403: the CSRF token does not match this session's (the form is stale or was made for another session).", 403)
export const CsrfOriginMismatch = createError('DOVETAIL_ERR_CSRF_ORIGIN_MISMATCH', '403: an unsafe request came from another origin (Origin or Referer) that is not in trustedOrigins.', 403)
export const CsrfNoSession = createError('DOVETAIL_ERR_CSRF_NO_SESSION', 'The csrf middleware runs without the session middleware before it.')

/**
 * Every error code middleware/csrf raises, with its meaning and status.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/csrf'
 * errorCodes.filter((c) => c.status === 403).length // 3
 */
export const errorCodes = Object.freeze([CsrfTokenMissing, CsrfTokenInvalid, CsrfOriginMismatch, CsrfNoSession])
