import { z } from 'zod'

const urlPath = (what: string) =>
  z.string().regex(/^(\/[^/?#\s%]+)+$/, `${what} is a URL path of one or more segments, starting with "/" and not ending with one, e.g. "/openapi.json"`)

/**
 * The openapi middleware's options schema (zod), with defaults.
 *
 * @example
 * openApiOptions.parse({}).path // '/openapi.json'
 */
export const openApiOptions = z
  .strictObject({
    /** Where the document is served, as JSON. */
    path: urlPath('path').default('/openapi.json'),
    /** Where the API reference page (Swagger UI, from the installed swagger-ui-dist) is served; `false` for none. */
    docsPath: z.union([urlPath('docsPath'), z.literal(false)]).default('/docs'),
    /** The document's `info`: `title` (default `'API'`), `version` (default `'0.0.0'`), `description`, … */
    info: z
      .looseObject({ title: z.string().min(1).optional(), version: z.string().min(1).optional(), description: z.string().optional(), summary: z.string().optional() })
      .default({}),
    /** The document's `servers`; none by default (clients then use the origin the document came from). */
    servers: z.array(z.looseObject({ url: z.string().min(1), description: z.string().optional() })).optional(),
    /** Serve the document and the page in production too. Off by default: a production app does not publish its API's shape unless asked. */
    production: z.boolean().default(false),
  })
  .refine((o) => o.docsPath === false || (o.docsPath !== o.path && !o.path.startsWith(`${o.docsPath}/`)), {
    message: 'path and docsPath must differ, and path cannot sit under docsPath (the page serves its files there)',
    path: ['docsPath'],
  })

/** Options of the openapi middleware, as given in a config. */
export type OpenApiMiddlewareOptions = z.input<typeof openApiOptions>
/** The same, validated and with defaults filled in. */
export type ResolvedOpenApiMiddlewareOptions = z.output<typeof openApiOptions>
