import { ValidationFailed } from '../errors/codes.js'
import type { ErrorDetails } from '../errors/error-renderer.js'
import { HttpError } from '../errors/http-error.js'
import { lightResponse } from '../gateway/light-response.js'

/** Where in the request a failing value was. */
export type InputPart = 'params' | 'query' | 'headers' | 'body'

/** One failing field: where, its path inside that part (`tags[0].name`, `(root)` for the whole part), and the schema's message. */
export interface ValidationIssue {
  readonly in: InputPart
  readonly path: string
  readonly message: string
}

/**
 * The request's input failed its route's schemas: a 422
 * (`DOVETAIL_ERR_VALIDATION_FAILED`) that every error renderer answers JSON clients
 * with as RFC 9457 problem details. Thrown by the validation step before the
 * handler runs; a handler may throw one too, for a check no schema can make.
 *
 * @example
 * throw new ValidationError([{ in: 'body', path: 'email', message: 'This address is taken' }])
 */
export class ValidationError extends HttpError {
  override name = 'ValidationError'
  readonly issues: readonly ValidationIssue[]
  constructor(issues: readonly ValidationIssue[], options: { cause?: unknown } = {}) {
    super(422, summary(issues), { code: ValidationFailed.code, cause: options.cause })
    this.issues = Object.freeze([...issues])
  }
}

const parts: Record<InputPart, string> = { params: 'path parameters', query: 'query', headers: 'headers', body: 'body' }

/** `Invalid body: title: Required; tags[0]: Too long`, at most three fields named. */
function summary(issues: readonly ValidationIssue[]): string {
  const named = issues.slice(0, 3).map((i) => `${i.in}.${i.path}: ${i.message}`)
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''
  const where = [...new Set(issues.map((i) => parts[i.in]))].join(', ')
  return `Invalid ${where || 'input'}: ${named.join('; ')}${more}`
}

/**
 * The RFC 9457 problem-details response for a {@link ValidationError}, or
 * undefined for any other error. Error renderers call it for JSON clients
 * (the core's default renderer and the error-pages component do), so every
 * app answers invalid input the same way:
 *
 * ```json
 * { "type": "about:blank", "title": "Unprocessable Content", "status": 422,
 *   "detail": "Invalid body: body.title: ...", "code": "DOVETAIL_ERR_VALIDATION_FAILED",
 *   "errors": [{ "in": "body", "path": "title", "message": "..." }] }
 * ```
 *
 * @example
 * const renderer: ErrorRenderer = (d) => problemResponse(d) ?? defaultErrorRenderer(d)
 */
export function problemResponse(d: ErrorDetails, extra: Record<string, unknown> = {}): Response | undefined {
  if (!(d.error instanceof ValidationError)) return undefined
  const headers = new Headers(d.headers)
  headers.set('content-type', 'application/problem+json; charset=utf-8')
  const body = {
    type: 'about:blank',
    title: 'Unprocessable Content',
    status: d.status,
    detail: d.message,
    code: d.code,
    errors: d.error.issues,
    ...extra,
  }
  return lightResponse(JSON.stringify(body), d.status, headers)
}
