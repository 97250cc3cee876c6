import { createError } from '../../../core/index.js'

// The code middleware/openapi owns; it has a row under middleware/openapi in docs/errors.md.
export const OpenApiUiMissing = createError(
  'DOVETAIL_ERR_OPENAPI_UI_MISSING',
  'middleware/openapi serves its reference page from the swagger-ui-dist package, which is not installed: npm install swagger-ui-dist, or set docsPath: false to serve only the document.',
)

/**
 * Every error code middleware/openapi raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/openapi'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_OPENAPI_UI_MISSING']
 */
export const errorCodes = Object.freeze([OpenApiUiMissing])
