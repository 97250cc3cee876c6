export { App } from './app/app.js'
export { createApp, Environment } from './app/create-app.js'
export type { AddRoute, ControllerAction, RouteContext, RouteHandler, RouteOptions, Routes, TypedHandler } from './app/routes.js'
export { captureCallSite } from './app/call-site.js'
export {
  defineComponent,
  isComponent,
  type Component,
  type ComponentContext,
  type ComponentDefinition,
  type ComponentFactory,
  type ComponentSource,
  type ComponentCommand,
  type CommandIo,
} from './component/define-component.js'
export { slotContracts, slotNames, type SlotName } from './component/slots.js'
export { implementsContract, parseContractRange, type ContractRange } from './component/contract-range.js'
export { discover, findComponent, findPreset, type Catalogue, type InstalledComponent, type InstalledPreset } from './discovery/catalogue.js'
export type { ComponentDeclaration, DovetailField, PresetDeclaration } from './discovery/declaration.js'
export type { InferInput, InferOutput, StandardIssue, StandardResult, StandardSchemaV1 } from './component/standard-schema.js'
export {
  defineConfig,
  definePreset,
  withComponents,
  withLayer,
  type NamedComponentSpec,
  type ComponentSpec,
  type MiddlewareEdit,
  type ComponentsConfig,
  type ConfigLayer,
  type DovetailConfig,
  type Limits,
  type Preset,
  type WorkersSetting,
} from './config/define-config.js'
export * from './container/index.js'
export { Context, type ContextState, type ResponseInitLite } from './context/context.js'
export { BodyReader, type RequestBody } from './validation/body-reader.js'
export type { PathParams, RouteInput } from './validation/types.js'
export { problemResponse, ValidationError, type InputPart, type ValidationIssue } from './validation/validation-error.js'
export { withValidation, type InvalidInput, type OnInvalid, type ValidationOptions } from './validation/with-validation.js'
export { RequestSignal } from './context/request-signal.js'
export { defineMiddleware, type StateAddedBy, type StateMiddleware } from './context/state-middleware.js'
export { coreErrorCodes, type ErrorCode } from './errors/codes.js'
export { createError, type DovetailErrorFactory, type ErrorCodeInfo, type HttpErrorFactory } from './errors/create-error.js'
export { DovetailError } from './errors/dovetail-error.js'
export { defaultErrorRenderer, ErrorRenderer, errorDetails, type ErrorDetails } from './errors/error-renderer.js'
export { attributeErrors, errorOrigin } from './errors/error-origin.js'
export {
  HttpError,
  MethodNotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
  statusText,
  type HttpErrorOptions,
  type ServiceUnavailableOptions,
} from './errors/http-error.js'
export { prefersHtml } from './errors/negotiate.js'
export { bodyBytesKey, readBodyBytes, type BodyBytesReader } from './gateway/body-bytes.js'
export { requestAbortController, requestAbortKey, type RequestAbortController } from './gateway/request-abort.js'
export { clientAddress, clientAddressKey, setClientAddress } from './gateway/client-address.js'
export type { FetchHandler, HasFetch } from './gateway/fetch-handler.js'
export { negotiateEncoding } from './gateway/accept-encoding.js'
export { editHeaders } from './gateway/edit-headers.js'
export { ifNoneMatch } from './gateway/if-none-match.js'
export { isResponse } from './gateway/is-response.js'
export { flatHeaders, LightHeaders } from './gateway/light-headers.js'
export { lightResponse, lightResponseParts } from './gateway/light-response.js'
export { normalizePath, pathOf, queryOf, type PathRules } from './gateway/path.js'
export { appendVary } from './gateway/vary.js'
export { compose } from './pipeline/compose.js'
export { passThrough, type Handler, type Middleware } from './pipeline/middleware.js'
export { needsOf, withNeeds, type MiddlewareNeed } from './pipeline/middleware-needs.js'
export { consoleLogger, Logger } from './slots/logger.js'
export { Db, Orm, type OrmDialect, type OwnedTable, type UnitOfWork } from './slots/orm.js'
export { Router, type MountOptions, type RouteDefinition, type RouteDocs, type RouteInfo, type RouteMatch, type RouteSchemas, type UrlParams } from './slots/router.js'
export { encodeUrlParam, type UrlParamSite } from './slots/encode-url-param.js'
export { Server, type ListenOptions, type ListeningServer } from './slots/server.js'
export { escapeHtml, isSafeHtml, SafeHtml, safeHtml } from './slots/safe-html.js'
export { htmlStream, TemplateEngine, type RenderOptions, type TemplateGlobals } from './slots/template.js'
export {
  Cache,
  checkCacheOptions,
  decodeCacheValue,
  encodeCacheValue,
  MAX_CACHE_TTL,
  type CacheSetOptions,
  type CacheValue,
} from './slots/cache.js'
export { SingleFlight } from './slots/cache-single-flight.js'
export { type Deadline, Deadlines, type DeadlinesOptions } from './time/deadlines.js'
export {
  decodeSession,
  encodeSession,
  SessionSecrets,
  SessionStore,
  type SessionData,
  type SessionRecord,
} from './slots/session-store.js'
export {
  openApiDocument,
  openApiNotes,
  withOpenApi,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiInfo,
  type OpenApiNote,
  type OpenApiOperation,
  type OpenApiOptions,
  type OpenApiParameter,
  type OpenApiPathItem,
  type OpenApiResolve,
  type OpenApiResponse,
  type OpenApiSecurityNote,
  type OpenApiSecurityRequirement,
  type OpenApiSecurityScheme,
  type OpenApiServer,
  type StandardJsonSchemaV1,
} from './openapi/index.js'
