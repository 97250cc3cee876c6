import { HttpError } from '../../../core/index.js'

/**
 * The HTTP errors the body middleware throws. Each message says what was wrong
 * and which option of `middleware/body` sets the limit, so a developer reading
 * the 413 knows what to raise.
 */
export const malformed = (detail: string, cause?: unknown) =>
  new HttpError(400, `Malformed request body: ${detail}.`, { code: 'DOVETAIL_ERR_BODY_MALFORMED', cause })

export const tooLarge = (limit: number, option: 'limits.body' | 'limits.multipart') =>
  new HttpError(413, `The request body is larger than ${limit} bytes (middleware/body option ${option}).`, { code: 'DOVETAIL_ERR_BODY_TOO_LARGE' })

export const tooManyFields = (limit: number) =>
  new HttpError(413, `The form has more than ${limit} fields (middleware/body option limits.fields).`, { code: 'DOVETAIL_ERR_BODY_TOO_MANY_FIELDS' })

export const fieldTooLarge = (name: string, limit: number) =>
  new HttpError(413, `Form field '${name}' is longer than ${limit} bytes (middleware/body option limits.fieldSize).`, { code: 'DOVETAIL_ERR_BODY_FIELD_TOO_LARGE' })

export const tooManyFiles = (limit: number) =>
  new HttpError(413, `The form has more than ${limit} files (middleware/body option limits.files).`, { code: 'DOVETAIL_ERR_BODY_TOO_MANY_FILES' })

export const fileTooLarge = (field: string, limit: number) =>
  new HttpError(413, `The file in field '${field}' is larger than ${limit} bytes (middleware/body option limits.fileSize).`, { code: 'DOVETAIL_ERR_BODY_FILE_TOO_LARGE' })

export const unsupportedType = (got: string | null, accepted: readonly string[]) =>
  new HttpError(
    415,
    got
      ? `This route does not read '${got}' bodies; send ${accepted.join(' or ')}.`
      : `This route needs a request body with a Content-Type: ${accepted.join(' or ')}.`,
    { code: 'DOVETAIL_ERR_BODY_UNSUPPORTED_TYPE' },
  )
