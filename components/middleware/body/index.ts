export { body, body as default } from './component.js'
export { createBodyParser } from './body-parser.js'
export { hasBodyParser, readBody, readForm, readJson, type ParsedBody } from './read-body.js'
export { FormBody } from './form-body.js'
export { readSchemaBody } from './schema-body.js'
export { UploadedFile } from './uploaded-file.js'
export { parseJson } from './parse-json.js'
export { bodyOptions, bodyTypes, type BodyOptions, type BodyType, type ResolvedBodyOptions } from './options.js'
export {
  BodyAlreadyRead,
  BodyFieldTooLarge,
  BodyFileTooLarge,
  BodyForbiddenKey,
  BodyMalformed,
  BodyNoMiddleware,
  BodyTooLarge,
  BodyTooManyFields,
  BodyTooManyFiles,
  BodyUnsupportedType,
  errorCodes,
} from './errors.js'
