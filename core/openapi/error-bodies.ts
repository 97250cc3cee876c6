import { ValidationFailed } from '../errors/codes.js'
import type { JsonSchema } from './types.js'

/**
 * The JSON error body the app answers refusals with (the core's
 * `defaultErrorRenderer`, and middleware/error-pages in JSON), as
 * `components.schemas.Error`.
 */
export const errorBodySchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['status', 'code', 'message'],
      properties: {
        status: { type: 'integer' },
        code: { type: 'string', description: 'A stable DOVETAIL_ERR_* code (docs/errors.md).' },
        message: { type: 'string' },
        requestId: { type: 'string' },
      },
    },
  },
}

/**
 * The RFC 9457 problem details a route with schemas answers invalid input
 * with (`application/problem+json`, status 422: `problemResponse` in
 * core/validation/validation-error.ts), as `components.schemas.ValidationProblem`.
 */
export const validationProblemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
  properties: {
    type: { type: 'string', const: 'about:blank' },
    title: { type: 'string' },
    status: { type: 'integer', const: ValidationFailed.status },
    detail: { type: 'string' },
    code: { type: 'string', const: ValidationFailed.code },
    errors: {
      type: 'array',
      description: 'One entry per failing field.',
      items: {
        type: 'object',
        required: ['in', 'path', 'message'],
        properties: {
          in: { type: 'string', enum: ['params', 'query', 'headers', 'body'] },
          path: { type: 'string', description: 'The field inside its part: tags[0].name, or (root) for the whole part.' },
          message: { type: 'string' },
        },
      },
    },
    requestId: { type: 'string' },
  },
}
