import { createError } from '../../../core/index.js'

// The codes middleware/body owns. Each has a row under middleware/body in
// docs/errors.md; a test checks both ways.
export const BodyMalformed = createError('DOVETAIL_ERR_BODY_MALFORMED', '400: the request body does not parse as its Content-Type says (bad JSON, broken multipart, invalid UTF-8).', 400)
export const BodyForbiddenKey = createError('DOVETAIL_ERR_BODY_FORBIDDEN_KEY', '400: a JSON body has a __proto__ or constructor.prototype key (prototype poisoning); see the body option protoKeys.', 400)
export const BodyTooLarge = createError('DOVETAIL_ERR_BODY_TOO_LARGE', '413: the request body is larger than the body option limits.body (limits.multipart for multipart forms).', 413)
export const BodyTooManyFields = createError('DOVETAIL_ERR_BODY_TOO_MANY_FIELDS', '413: a form has more fields than the body option limits.fields.', 413)
export const BodyFieldTooLarge = createError('DOVETAIL_ERR_BODY_FIELD_TOO_LARGE', '413: a form field is longer than the body option limits.fieldSize.', 413)
export const BodyTooManyFiles = createError('DOVETAIL_ERR_BODY_TOO_MANY_FILES', '413: a multipart form has more files than the body option limits.files.', 413)
export const BodyFileTooLarge = createError('DOVETAIL_ERR_BODY_FILE_TOO_LARGE', '413: an uploaded file is larger than the body option limits.fileSize.', 413)
export const BodyUnsupportedType = createError('DOVETAIL_ERR_BODY_UNSUPPORTED_TYPE', '415: the request body has a Content-Type the route does not read (or none).', 415)
export const BodyUnsupportedEncoding = createError(
  'DOVETAIL_ERR_BODY_UNSUPPORTED_ENCODING',
  '415: the request body has a Content-Encoding (gzip, br, ...) the body middleware does not decode; the response says Accept-Encoding: identity.',
  415,
)
export const BodyNoMiddleware = createError('DOVETAIL_ERR_BODY_NO_MIDDLEWARE', 'readBody/readJson/readForm was called in a request the body middleware did not handle (add it to components.middleware).')
export const BodyAlreadyRead = createError('DOVETAIL_ERR_BODY_ALREADY_READ', 'The request body stream was read by something else before readBody/readJson/readForm.')

/**
 * Every error code middleware/body raises, with its meaning and status.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/middleware/body'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_BODY_MALFORMED', ...]
 */
export const errorCodes = Object.freeze([
  BodyMalformed,
  BodyForbiddenKey,
  BodyTooLarge,
  BodyTooManyFields,
  BodyFieldTooLarge,
  BodyTooManyFiles,
  BodyFileTooLarge,
  BodyUnsupportedType,
  BodyUnsupportedEncoding,
  BodyNoMiddleware,
  BodyAlreadyRead,
])

// Each message says what was wrong and which option of middleware/body sets
// the limit, so a developer reading the 413 knows what to raise.

export const malformed = (detail: string, cause?: unknown) => BodyMalformed(`Malformed request body: ${detail}.`, { cause })

export const tooLarge = (limit: number, option: 'limits.body' | 'limits.multipart') =>
  BodyTooLarge(`The request body is larger than ${limit} bytes (middleware/body option ${option}).`)

export const tooManyFields = (limit: number) => BodyTooManyFields(`The form has more than ${limit} fields (middleware/body option limits.fields).`)

export const fieldTooLarge = (name: string, limit: number) =>
  BodyFieldTooLarge(`Form field '${name}' is longer than ${limit} bytes (middleware/body option limits.fieldSize).`)

export const tooManyFiles = (limit: number) => BodyTooManyFiles(`The form has more than ${limit} files (middleware/body option limits.files).`)

export const fileTooLarge = (field: string, limit: number) =>
  BodyFileTooLarge(`The file in field '${field}' is larger than ${limit} bytes (middleware/body option limits.fileSize).`)

export const unsupportedType = (got: string | null, accepted: readonly string[]) =>
  BodyUnsupportedType(
    got
      ? `This route does not read '${got}' bodies; send ${accepted.join(' or ')}.`
      : `This route needs a request body with a Content-Type: ${accepted.join(' or ')}.`,
  )

// Parsing compressed bytes as JSON or a form would give a confusing 400 at best;
// RFC 9110 (15.5.16) says 415 and Accept-Encoding naming what is understood.
export const unsupportedEncoding = (coding: string) =>
  BodyUnsupportedEncoding(`Request bodies with Content-Encoding '${coding}' are not read; send the body uncompressed.`, {
    headers: { 'accept-encoding': 'identity' },
  })
