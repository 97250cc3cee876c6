export { openapi, openapi as default } from './component.js'
export { createOpenApiMiddleware } from './openapi-middleware.js'
export { openApiOptions, type OpenApiMiddlewareOptions, type ResolvedOpenApiMiddlewareOptions } from './options.js'
export { errorCodes, OpenApiUiMissing } from './errors.js'
