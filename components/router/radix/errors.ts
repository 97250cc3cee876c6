import { createError } from '../../../core/index.js'

// The code router/radix owns (the router contract's own codes, ROUTER_*, are the
// core's). It has a row under router/radix in docs/errors.md; a test checks both ways.
export const RadixUnsafeRegex = createError(
  'DOVETAIL_ERR_RADIX_UNSAFE_REGEX',
  'A route pattern has a regular-expression parameter (/:id(...)) that redos-detector cannot prove free of catastrophic backtracking within the option regexCheckSteps; one request could block the server. Use a plain :param and check it in the handler, or a regex without nested or overlapping repetition.',
)

/**
 * Every error code router/radix raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/router/radix'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_RADIX_UNSAFE_REGEX']
 */
export const errorCodes = Object.freeze([RadixUnsafeRegex])
