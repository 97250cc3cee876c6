/**
 * The parts of an OpenAPI 3.1 document Dovetail writes (spec.openapis.org/oas/v3.1.1).
 * Each object also admits `x-` extensions and any field the spec has that
 * Dovetail does not fill, so a document can be edited after generation.
 */

/** A JSON Schema (draft 2020-12, OpenAPI 3.1's dialect), as a schema library's Standard JSON Schema gives it. */
export type JsonSchema = Record<string, unknown>

/** The document's `info`; `title` and `version` are required by OpenAPI. */
export interface OpenApiInfo {
  title: string
  version: string
  summary?: string
  description?: string
  termsOfService?: string
  contact?: { name?: string; url?: string; email?: string }
  license?: { name: string; identifier?: string; url?: string }
  [extension: `x-${string}`]: unknown
}

export interface OpenApiServer {
  url: string
  description?: string
  variables?: Record<string, { default: string; enum?: string[]; description?: string }>
}

/** A security scheme (`components.securitySchemes`): how a client proves who it is. */
export type OpenApiSecurityScheme =
  | { type: 'apiKey'; name: string; in: 'query' | 'header' | 'cookie'; description?: string }
  | { type: 'http'; scheme: string; bearerFormat?: string; description?: string }
  | { type: 'mutualTLS'; description?: string }
  | { type: 'oauth2'; flows: Record<string, unknown>; description?: string }
  | { type: 'openIdConnect'; openIdConnectUrl: string; description?: string }

/** Scheme names to the scopes needed; all of them at once. */
export type OpenApiSecurityRequirement = Record<string, string[]>

export interface OpenApiParameter {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required?: boolean
  description?: string
  deprecated?: boolean
  schema?: JsonSchema
}

export interface OpenApiMediaType {
  schema?: JsonSchema
}

export interface OpenApiRequestBody {
  required?: boolean
  description?: string
  content: Record<string, OpenApiMediaType>
}

export interface OpenApiResponse {
  description: string
  content?: Record<string, OpenApiMediaType>
}

export interface OpenApiOperation {
  operationId?: string
  summary?: string
  description?: string
  tags?: string[]
  deprecated?: boolean
  parameters?: OpenApiParameter[]
  requestBody?: OpenApiRequestBody
  /** By status code (`'200'`) or `'default'`. */
  responses: Record<string, OpenApiResponse>
  security?: OpenApiSecurityRequirement[]
  [extension: `x-${string}`]: unknown
}

/** One path's operations, by lower-case method. */
export type OpenApiPathItem = Partial<Record<'get' | 'put' | 'post' | 'delete' | 'options' | 'patch' | 'trace', OpenApiOperation>>

/**
 * An OpenAPI 3.1 document, as `app.openapi()` returns it: plain JSON data
 * (`JSON.stringify` it to serve it).
 */
export interface OpenApiDocument {
  openapi: '3.1.1'
  info: OpenApiInfo
  jsonSchemaDialect?: string
  servers?: OpenApiServer[]
  paths: Record<string, OpenApiPathItem>
  components?: {
    schemas?: Record<string, JsonSchema>
    securitySchemes?: Record<string, OpenApiSecurityScheme>
    [key: string]: unknown
  }
  security?: OpenApiSecurityRequirement[]
  tags?: { name: string; description?: string }[]
  [extension: `x-${string}`]: unknown
}
