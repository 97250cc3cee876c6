import { issuePath, type StandardIssue, type StandardSchemaV1 } from '../component/standard-schema.js'
import type { Context } from '../context/context.js'
import { ValidationResponse, ValidationSetup } from '../errors/codes.js'
import { prefersHtml } from '../errors/negotiate.js'
import type { Handler } from '../pipeline/middleware.js'
import type { RouteSchemas } from '../slots/router.js'
import { BodyReader, type RequestBody } from './body-reader.js'
import { type InputPart, ValidationError, type ValidationIssue } from './validation-error.js'

/**
 * What a route's `onInvalid` receives when its input fails: the error (which
 * would otherwise become the 422), the submitted body's fields as sent, and
 * the first message for each failing field, keyed by its path (`title`,
 * `tags[0]`; a field outside the body by part and path: `query.page`).
 */
export interface InvalidInput {
  error: ValidationError
  values: Record<string, unknown>
  errors: Record<string, string>
}

/**
 * How a route answers invalid input from a browser (a client that prefers
 * HTML, or a form post) instead of the 422 problem details: the name of a
 * template, rendered with `{ values, errors, issues }` and status 422, or a
 * function that makes the response (call the form's own handler, say).
 */
export type OnInvalid = string | ((ctx: Context, invalid: InvalidInput) => Response | Promise<Response>)

/** Options of {@link withValidation}. */
export interface ValidationOptions {
  schemas: RouteSchemas
  /** See {@link OnInvalid}; JSON clients get the problem details whatever this says. */
  onInvalid?: OnInvalid | undefined
  /** Names the route in messages: `POST /notes`. */
  route: string
}

const inputParts: readonly InputPart[] = ['params', 'query', 'headers', 'body']
const knownKeys = new Set<string>([...inputParts, 'response'])

/**
 * Wrap a handler so a request reaches it only with valid input: each part
 * with a schema is validated (all of them, so every failing field is
 * reported at once), the values the schemas give are `ctx.input`, and
 * invalid input throws a {@link ValidationError} (422) or goes to
 * `onInvalid`. In development, a JSON response whose status has a `response`
 * schema is checked too, and a mismatch is a 500
 * (`DOVETAIL_ERR_VALIDATION_RESPONSE`). `r.get()` and the other route methods
 * call it for a route with `schemas`; a router that takes routes another way
 * (object-dispatch's `expose()`) calls it too. Throws
 * `DOVETAIL_ERR_VALIDATION_SETUP` for a malformed `schemas`, at once.
 *
 * @example
 * const handler = withValidation((ctx) => ctx.json(ctx.input), { schemas: { query: z.object({ q: z.string() }) }, route: 'GET /search' })
 */
export function withValidation(handler: Handler, options: ValidationOptions): Handler {
  const { schemas, onInvalid, route } = options
  checkSchemas(schemas, route)
  if (onInvalid !== undefined && typeof onInvalid !== 'string' && typeof onInvalid !== 'function') {
    throw ValidationSetup(`Route ${route}: onInvalid must be a template name or a function (ctx, invalid) => Response, got ${typeof onInvalid}.`)
  }
  const parts = inputParts.filter((part) => schemas[part] !== undefined)
  const responses = schemas.response
  const inner: Handler = responses === undefined ? handler : checkingResponses(handler, responses, route)
  if (parts.length === 0) return inner
  const validated: Handler = async (ctx) => {
    const issues: ValidationIssue[] = []
    const input: Record<string, unknown> = {}
    let body: RequestBody | undefined
    for (const part of parts) {
      let raw: unknown
      if (part === 'body') raw = (body = await readBody(ctx, route)).value
      else raw = rawInput(ctx, part)
      const result = await schemas[part]!['~standard'].validate(raw)
      if (result.issues) for (const issue of result.issues) issues.push(toIssue(part, issue))
      else input[part] = result.value
    }
    if (issues.length) return invalid(ctx, new ValidationError(issues), body, onInvalid)
    ctx.input = Object.freeze(input)
    return inner(ctx)
  }
  return Object.defineProperty(validated, 'name', { value: handler.name })
}

/** Refuse, at startup, schemas that are no Standard Schema or a part that does not exist. */
function checkSchemas(schemas: unknown, route: string): asserts schemas is RouteSchemas {
  if (typeof schemas !== 'object' || schemas === null || Array.isArray(schemas)) {
    throw ValidationSetup(`Route ${route}: schemas must be an object { params?, query?, headers?, body?, response? }, got ${Array.isArray(schemas) ? 'an array' : typeof schemas}.`)
  }
  for (const [key, value] of Object.entries(schemas)) {
    if (!knownKeys.has(key)) throw ValidationSetup(`Route ${route}: schemas.${key} is not a part of a request; use params, query, headers, body or response.`)
    if (value === undefined) continue
    if (key !== 'response') {
      checkSchema(value, `Route ${route}: schemas.${key}`)
      continue
    }
    if (typeof value !== 'object' || value === null) throw ValidationSetup(`Route ${route}: schemas.response must be an object of schemas by status ({ 200: Note }), got ${typeof value}.`)
    for (const [status, schema] of Object.entries(value)) {
      if (!/^[1-5]\d\d$/.test(status)) throw ValidationSetup(`Route ${route}: schemas.response has the key '${status}', which is not a status from 100 to 599.`)
      checkSchema(schema, `Route ${route}: schemas.response[${status}]`)
    }
  }
}

function checkSchema(value: unknown, where: string): asserts value is StandardSchemaV1 {
  const standard = (value as StandardSchemaV1 | null)?.['~standard']
  if (typeof standard !== 'object' || standard === null || standard.version !== 1 || typeof standard.validate !== 'function') {
    throw ValidationSetup(`${where} is not a Standard Schema (standardschema.dev): use a schema of zod 4, valibot 1, arktype 2 or another library that implements it.`)
  }
}

/** The part as a schema sees it: params as routed, the query and headers as objects of strings. */
function rawInput(ctx: Context, part: Exclude<InputPart, 'body'>): Record<string, unknown> {
  if (part === 'params') return { ...ctx.params }
  if (part === 'headers') return Object.fromEntries(ctx.request.headers)
  // A key given once is a string, given more than once an array, as Fastify parses queries; a schema that
  // wants a string refuses `?q=a&q=b` rather than silently taking one. fromEntries defines properties, so
  // `__proto__` is a key like any other.
  const grouped = new Map<string, string | string[]>()
  for (const [key, value] of ctx.searchParams) {
    const seen = grouped.get(key)
    grouped.set(key, seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value])
  }
  return Object.fromEntries(grouped)
}

async function readBody(ctx: Context, route: string): Promise<RequestBody> {
  let reader: BodyReader
  try {
    reader = ctx.resolve(BodyReader)
  } catch (error) {
    throw ValidationSetup(`Route ${route} has a body schema, but no component reads request bodies: add 'body' to components.middleware (dovetailjs/components/middleware/body).`, { cause: error })
  }
  return reader(ctx)
}

const toIssue = (part: InputPart, issue: StandardIssue): ValidationIssue => ({ in: part, path: issuePath(issue), message: issue.message })

const isForm = (request: Request): boolean => /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\s*(;|$)/i.test(request.headers.get('content-type') ?? '')

async function invalid(ctx: Context, error: ValidationError, body: RequestBody | undefined, onInvalid: OnInvalid | undefined): Promise<Response> {
  if (onInvalid === undefined || !(prefersHtml(ctx.request.headers.get('accept')) || isForm(ctx.request))) throw error
  const values = body !== undefined && typeof body.value === 'object' && body.value !== null ? { ...(body.value as Record<string, unknown>) } : {}
  const errors: Record<string, string> = {}
  for (const issue of error.issues) errors[issue.in === 'body' ? issue.path : `${issue.in}.${issue.path}`] ??= issue.message
  if (typeof onInvalid === 'function') return onInvalid(ctx, { error, values, errors })
  return ctx.render(onInvalid, { values, errors, issues: error.issues }, { status: 422 })
}

/** In development, check a JSON response against the schema for its status. */
function checkingResponses(handler: Handler, responses: NonNullable<RouteSchemas['response']>, route: string): Handler {
  const checked: Handler = async (ctx) => {
    const response = await handler(ctx)
    if (ctx.environment !== 'development') return response
    const schema = responses[response.status]
    if (schema === undefined) return response
    const type = response.headers.get('content-type') ?? ''
    if (!/^application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) {
      throw ValidationResponse(`Route ${route} answered ${response.status} with '${type || 'no content-type'}', but its response schema for ${response.status} describes a JSON body.`)
    }
    const result = await schema['~standard'].validate(await response.clone().json())
    if (result.issues) {
      const list = result.issues.map((issue) => `${issuePath(issue)}: ${issue.message}`).join('; ')
      throw ValidationResponse(`Route ${route} answered ${response.status} with a body that does not match its response schema: ${list}`)
    }
    return response
  }
  return checked
}
