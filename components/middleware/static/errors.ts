import { createError } from '../../../core/index.js'

// The code middleware/static owns. It has a row under middleware/static in
// docs/errors.md; a test checks both ways.
export const StaticRangeNotSatisfiable = createError('DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE', '416: a Range request starts beyond the end of the file; Content-Range gives the size.', 416)

/**
 * Every error code middleware/static raises, with its meaning and status.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/static'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE']
 */
export const errorCodes = Object.freeze([StaticRangeNotSatisfiable])
