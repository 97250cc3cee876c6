import { statusText } from '../errors/http-error.js'
import type { RouteInfo, Router } from '../slots/router.js'
import { errorBodySchema, validationProblemSchema } from './error-bodies.js'
import { OpenApiConflict, OpenApiNoJsonSchema, OpenApiNoRoutes, OpenApiSchema } from '../errors/codes.js'
import { openApiNotes, type OpenApiNote, type OpenApiResolve } from './notes.js'
import { pathTemplate } from './path-template.js'
import { SharedSchemas } from './shared-schemas.js'
import { hasJsonSchema } from './standard-json-schema.js'
import type {
  JsonSchema,
  OpenApiDocument,
  OpenApiInfo,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiResponse,
  OpenApiSecurityRequirement,
  OpenApiSecurityScheme,
  OpenApiServer,
} from './types.js'

/** What {@link openApiDocument} takes besides the routes. */
export interface OpenApiOptions {
  /** The document's `info`; `title` defaults to `'API'`, `version` to `'0.0.0'`. */
  info?: Partial<OpenApiInfo> | undefined
  servers?: readonly OpenApiServer[] | undefined
  /**
   * The app's container, for security schemes that are worked out from it
   * (a guard's {@link OpenApiNote}). Without it, such a scheme is an error.
   */
  resolve?: OpenApiResolve | undefined
}

/** The methods an OpenAPI 3.1 path item has a field for; HEAD is answered by GET and left out. */
const documented = new Set(['get', 'put', 'post', 'delete', 'options', 'patch', 'trace'])

type Route = Extract<RouteInfo, { kind: 'route' }>

/**
 * An OpenAPI 3.1 document for a router's routes (or a list of them, as
 * `routes()` gives it): one
 * operation per route and method (HEAD, and methods OpenAPI has no field
 * for, left out; mounts are other apps and are listed nowhere), with
 * parameters, request body and responses from the route's `schemas`
 * through the Standard JSON Schema interface, `docs` as summary,
 * description, tags and deprecated, the route's name as operationId, and
 * the security and refusals its guards note ({@link withOpenApi}).
 * `app.openapi()` calls it with the app's routes; a component serving the
 * document calls it with the `Router` it resolves.
 *
 * @throws DOVETAIL_ERR_OPENAPI_NO_JSON_SCHEMA naming the route and part when a schema cannot describe itself
 * @throws DOVETAIL_ERR_OPENAPI_NO_ROUTES for a router without `routes()`
 * @example
 * const doc = openApiDocument(app.resolve(Router), { info: { title: 'Notes', version: '1.0.0' }, resolve: app.resolve })
 * doc.paths['/notes/{id}']?.get?.operationId // 'note'
 */
export function openApiDocument(source: Router | readonly RouteInfo[], options: OpenApiOptions = {}): OpenApiDocument {
  const routes = routesOf(source)
  const shared = new SharedSchemas(['Error', 'ValidationProblem'])
  const schemes = new Map<string, { scheme: OpenApiSecurityScheme; from: string }>()
  const paths: Record<string, OpenApiPathItem> = {}
  const usage = { errors: false, problems: false }

  for (const info of routes) {
    if (info.kind !== 'route') continue
    const route = info as Route
    const methods = route.methods.map((m) => m.toLowerCase()).filter((m) => documented.has(m))
    if (!methods.length) continue
    const template = pathTemplate(route.path)
    const notes = openApiNotes(route.handler)
    for (const method of methods) {
      const where = `Route ${method.toUpperCase()} ${route.path}`
      const body = operationFor(route, template, where, shared, usage)
      applyNotes(body, notes, where, schemes, options.resolve, usage)
      withDefaultResponse(body)
      const operation: OpenApiOperation = route.name ? { operationId: methods.length === 1 ? route.name : `${route.name}.${method}`, ...body } : body
      ;(paths[template.path] ??= {})[method as keyof OpenApiPathItem] = operation
    }
  }

  const schemas: Record<string, JsonSchema> = { ...shared.all }
  if (usage.errors) schemas.Error = errorBodySchema
  if (usage.problems) schemas.ValidationProblem = validationProblemSchema
  const components: NonNullable<OpenApiDocument['components']> = {}
  if (Object.keys(schemas).length) components.schemas = schemas
  if (schemes.size) components.securitySchemes = Object.fromEntries([...schemes].map(([name, s]) => [name, s.scheme]))
  return {
    openapi: '3.1.1',
    info: { title: 'API', version: '0.0.0', ...options.info },
    ...(options.servers ? { servers: [...options.servers] } : {}),
    paths,
    ...(Object.keys(components).length ? { components } : {}),
  }
}

function routesOf(source: Router | readonly RouteInfo[]): readonly RouteInfo[] {
  if (Array.isArray(source)) return source
  const router = source as Router
  if (typeof router.routes !== 'function') {
    throw OpenApiNoRoutes('The router component has no routes() (router contract 1.0), so its routes cannot be listed for an OpenAPI document. The built-in radix and object-dispatch routers have it.')
  }
  return router.routes()
}

function operationFor(
  route: Route,
  template: ReturnType<typeof pathTemplate>,
  where: string,
  shared: SharedSchemas,
  usage: { errors: boolean; problems: boolean },
): OpenApiOperation {
  const schemas = route.schemas ?? {}
  const jsonOf = (part: string, schema: unknown, io: 'input' | 'output') => shared.adopt(toJsonSchema(schema, io, `${where}: its ${part} schema`))
  // Fields in the order a reader of the JSON expects them; operationId and security are set after.
  const operation = {} as OpenApiOperation
  const docs = route.docs
  if (docs?.summary !== undefined) operation.summary = docs.summary
  if (docs?.description !== undefined) operation.description = docs.description
  if (docs?.tags?.length) operation.tags = [...docs.tags]
  if (docs?.deprecated) operation.deprecated = true

  const parameters: OpenApiParameter[] = []
  const paramSchema = schemas.params ? objectSchema(jsonOf('params', schemas.params, 'input'), `${where}: its params schema`) : undefined
  for (const p of template.params) {
    const fromSchema = paramSchema?.properties?.[p.name]
    const schema: JsonSchema = fromSchema ?? { type: 'string', ...(p.pattern === undefined ? {} : { pattern: p.pattern }) }
    parameters.push({ name: p.name, in: 'path', required: true, schema })
  }
  for (const [part, at] of [['query', 'query'], ['headers', 'header']] as const) {
    const given = schemas[part]
    if (!given) continue
    const object = objectSchema(jsonOf(part, given, 'input'), `${where}: its ${part} schema`)
    const required = new Set(object.required ?? [])
    for (const [name, schema] of Object.entries(object.properties ?? {})) {
      const { description, deprecated, ...rest } = schema as JsonSchema & { description?: string; deprecated?: boolean }
      parameters.push({
        name,
        in: at,
        required: required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        ...(deprecated === true ? { deprecated } : {}),
        schema: rest,
      })
    }
  }
  if (parameters.length) operation.parameters = parameters

  if (schemas.body) {
    operation.requestBody = { required: true, content: { 'application/json': { schema: jsonOf('body', schemas.body, 'input') } } }
  }
  operation.responses = {}
  for (const [status, schema] of Object.entries(schemas.response ?? {})) {
    operation.responses[status] = { description: statusDescription(Number(status)), content: { 'application/json': { schema: jsonOf(`response ${status}`, schema, 'output') } } }
  }
  if (schemas.params || schemas.query || schemas.headers || schemas.body) {
    usage.problems = true
    operation.responses['422'] ??= {
      description: 'The request does not match the route schemas: each failing field, where it is and why (RFC 9457 problem details).',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ValidationProblem' } } },
    }
  }
  return operation
}

/** OpenAPI wants at least one response; a route that documents no success gets `default`, saying so. */
function withDefaultResponse(operation: OpenApiOperation): void {
  if (Object.keys(operation.responses).some((status) => status.startsWith('2'))) return
  operation.responses.default = { description: 'The response; the route declares no response schema for a success status.' }
}

/** Security and refusals from the guards' notes; guards on one route all apply, so their schemes form one requirement. */
function applyNotes(
  operation: OpenApiOperation,
  notes: readonly OpenApiNote[],
  where: string,
  schemes: Map<string, { scheme: OpenApiSecurityScheme; from: string }>,
  resolve: OpenApiResolve | undefined,
  usage: { errors: boolean },
): void {
  const requirement: OpenApiSecurityRequirement = {}
  for (const note of notes) {
    if (note.security) {
      const { name, scopes } = note.security
      const scheme = schemeOf(note.security.scheme, name, where, resolve)
      const known = schemes.get(name)
      if (known && JSON.stringify(known.scheme) !== JSON.stringify(scheme)) {
        throw OpenApiConflict(`The security scheme '${name}' is defined twice, differently: ${JSON.stringify(known.scheme)} (${known.from}) and ${JSON.stringify(scheme)} (${where}). Give the second scheme another name.`)
      }
      if (!known) schemes.set(name, { scheme, from: where })
      requirement[name] = [...new Set([...(requirement[name] ?? []), ...(scopes ?? [])])]
    }
    for (const [status, description] of Object.entries(note.responses ?? {})) {
      usage.errors = true
      operation.responses[status] ??= errorResponse(description)
    }
  }
  if (Object.keys(requirement).length) operation.security = [requirement]
}

function schemeOf(scheme: OpenApiSecurityScheme | ((resolve: OpenApiResolve) => OpenApiSecurityScheme), name: string, where: string, resolve: OpenApiResolve | undefined): OpenApiSecurityScheme {
  if (typeof scheme !== 'function') return scheme
  if (!resolve) throw OpenApiConflict(`${where}: the security scheme '${name}' is worked out from the app's container, and none was given: use app.openapi(), or pass resolve to openApiDocument.`)
  return scheme(resolve)
}

const errorResponse = (description: string): OpenApiResponse => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
})

function toJsonSchema(schema: unknown, io: 'input' | 'output', what: string): JsonSchema {
  if (!hasJsonSchema(schema)) {
    const vendor = (schema as { '~standard'?: { vendor?: unknown } } | null)?.['~standard']?.vendor
    throw OpenApiNoJsonSchema(
      `${what}${typeof vendor === 'string' ? ` (${vendor})` : ''} has no Standard JSON Schema interface (~standard.jsonSchema), so it cannot be documented. zod 4.2+ and ArkType schemas have it; wrap a valibot schema in toStandardJsonSchema() from @valibot/to-json-schema.`,
    )
  }
  try {
    return schema['~standard'].jsonSchema[io]({ target: 'draft-2020-12' })
  } catch (error) {
    throw OpenApiSchema(`${what} cannot be written as JSON Schema: ${(error as Error)?.message ?? error}`, { cause: error })
  }
}

/** An object schema's properties, which OpenAPI lists one parameter each. */
function objectSchema(schema: JsonSchema, what: string): { properties?: Record<string, JsonSchema>; required?: string[] } {
  if (schema.type !== 'object') {
    throw OpenApiSchema(`${what} is not an object schema (its JSON Schema has type ${JSON.stringify(schema.type)}); OpenAPI lists path, query and header parameters one by one, from an object's properties.`)
  }
  return schema as { properties?: Record<string, JsonSchema>; required?: string[] }
}

const success: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content' }

/** A response's description (OpenAPI requires one): the reason phrase. */
const statusDescription = (status: number): string => (status >= 400 ? statusText(status) : (success[status] ?? `Status ${status}`))
