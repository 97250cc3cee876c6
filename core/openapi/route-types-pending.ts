// Until h-schemas lands: the shape RouteDefinition gains there (core/slots/router.ts). Removed at the merge.
import type { StandardSchemaV1 } from '../component/standard-schema.js'

export interface RouteSchemas {
  params?: StandardSchemaV1 | undefined
  query?: StandardSchemaV1 | undefined
  headers?: StandardSchemaV1 | undefined
  body?: StandardSchemaV1 | undefined
  response?: { readonly [status: number]: StandardSchemaV1 } | undefined
}

export interface RouteDocs {
  summary?: string | undefined
  description?: string | undefined
  tags?: readonly string[] | undefined
  deprecated?: boolean | undefined
}
