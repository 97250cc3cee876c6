export { csrf, csrf as default, csrfOptions, type CsrfOptions } from './component.js'
export { createCsrfMiddleware, CSRF_SESSION_KEY, csrfToken, LazyCsrfToken, type CsrfSettings } from './csrf-middleware.js'
export { CsrfNoSession, CsrfOriginMismatch, CsrfTokenInvalid, CsrfTokenMissing, errorCodes } from './errors.js'
