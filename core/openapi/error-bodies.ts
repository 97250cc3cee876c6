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
 * The RFC 9457 problem details body a route with schemas answers bad input
 * with (`application/problem+json`), as `components.schemas.ValidationProblem`.
 */
export const validationProblemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'path', 'message'],
        properties: { in: { type: 'string' }, path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
}
