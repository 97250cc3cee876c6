import { createError } from '../../../core/index.js'

// The code middleware/static owns. It has a row under middleware/static in
// docs/errors.md; a test checks both ways.
export const StaticRangeNotSatisfiable = createError('DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE', '416: a Range request starts beyond the end of the file; Content-Range gives the size.', 416)
export const StaticPreconditionFailed = createError('DOVETAIL_ERR_STATIC_PRECONDITION_FAILED', '412: If-Match names no current representation of the file, or it changed after If-Unmodified-Since.', 412)

/**
 * Every error code middleware/static raises, with its meaning and status.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/static'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE', 'DOVETAIL_ERR_STATIC_PRECONDITION_FAILED']
 */
export const errorCodes = Object.freeze([StaticRangeNotSatisfiable, StaticPreconditionFailed])
