import { createError } from '../../../core/index.js'

// The codes server/scgi owns: each a way an SCGI request breaks the protocol
// (https://python.ca/scgi/protocol.txt). The request is answered 400 without
// calling the app, the connection closed, and the breach logged with
// DOVETAIL_ERR_SERVER_PROTOCOL. Each has a row under server/scgi in
// docs/errors.md; a test checks both ways.

export const ScgiNetstring = createError(
  'DOVETAIL_ERR_SERVER_SCGI_NETSTRING',
  "400: the SCGI header block is not a netstring (a length in ASCII digits without leading zeros, ':', that many bytes, ','), or the connection ended inside it.",
  400,
)

export const ScgiHeaders = createError(
  'DOVETAIL_ERR_SERVER_SCGI_HEADERS',
  '400: the SCGI header block is not NUL-terminated name/value pairs with non-empty names, each name once (request headers, HTTP_*, may repeat).',
  400,
)

export const ScgiContentLength = createError(
  'DOVETAIL_ERR_SERVER_SCGI_CONTENT_LENGTH',
  '400: the first SCGI header is not CONTENT_LENGTH with a length in ASCII digits.',
  400,
)

export const ScgiVersion = createError('DOVETAIL_ERR_SERVER_SCGI_VERSION', '400: the SCGI header block has no SCGI variable with the value 1.', 400)

/**
 * Every error code server/scgi raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/server/scgi'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_SERVER_SCGI_NETSTRING', …]
 */
export const errorCodes = Object.freeze([ScgiNetstring, ScgiHeaders, ScgiContentLength, ScgiVersion])
