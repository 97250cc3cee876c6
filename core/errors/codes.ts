import { createError } from './create-error.js'

// The core's own error codes: those the kernel throws, and those a slot's
// contract makes every implementation throw (a router's ROUTER_*, a template
// engine's TEMPLATE_NOT_FOUND), since they belong to the contract and not to
// one implementation. A component's own codes live in its folder's errors.ts.
// Each code has a row under "Core" in docs/errors.md; a test checks both ways.

// config
export const ConfigUnknownSlot = createError('DOVETAIL_ERR_CONFIG_UNKNOWN_SLOT', 'A config names a slot that does not exist.')
export const ConfigUnknownComponent = createError('DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT', 'A config names a built-in component that does not exist, or a package that is not installed.')
export const ConfigUnknownPreset = createError('DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET', 'A config names a preset that does not exist.')
export const ConfigInvalid = createError('DOVETAIL_ERR_CONFIG_INVALID', 'A config value has the wrong shape.')
export const ConfigAmbiguousComponent = createError('DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT', 'Two installed packages declare a component of the same name for one slot; name it as <package>#<name>.')

// components and boot
export const ComponentInvalid = createError('DOVETAIL_ERR_COMPONENT_INVALID', 'An object given as a component is not one (see defineComponent).')
export const ComponentSlotMismatch = createError('DOVETAIL_ERR_COMPONENT_SLOT_MISMATCH', 'A component was put in a slot other than the one it declares.')
export const ComponentContractMismatch = createError('DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH', "A component's contract range does not include the version of its slot's contract this core provides.")
export const ComponentContractRange = createError('DOVETAIL_ERR_COMPONENT_CONTRACT_RANGE', 'A component (in defineComponent or its package.json declaration) gives a contract range that is not a semver range.')
export const ComponentDeclaration = createError('DOVETAIL_ERR_COMPONENT_DECLARATION', "A package's dovetail field in package.json is malformed, or disagrees with the component its entry exports.")
export const ComponentPackageMissing = createError('DOVETAIL_ERR_COMPONENT_PACKAGE_MISSING', "A declared component's entry imports a package that is not installed (one of its needs); the message names the npm install to run.")
export const ComponentOptions = createError('DOVETAIL_ERR_COMPONENT_OPTIONS', "A component's options failed validation.")
export const ComponentMissingRequirement = createError('DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT', 'A component needs a slot that no component fills.')
export const ComponentRequiredSlot = createError('DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT', 'A slot every app needs has no component.')
export const ComponentCycle = createError('DOVETAIL_ERR_COMPONENT_CYCLE', 'Components require each other in a cycle.')
export const ComponentSlotUnfilled = createError('DOVETAIL_ERR_COMPONENT_SLOT_UNFILLED', "A component in a slot did not provide that slot's service (its register(c) registered no Router, Logger, TemplateEngine, …; a middleware component has no middleware hook).")
export const ComponentStart = createError('DOVETAIL_ERR_COMPONENT_START', 'A component failed to start.')

// container (the container contract: every adapter throws these)
export const ContainerNotRegistered = createError('DOVETAIL_ERR_CONTAINER_NOT_REGISTERED', 'A token was resolved that nothing registered.')
export const ContainerDuplicate = createError('DOVETAIL_ERR_CONTAINER_DUPLICATE', 'Two registrations for one token.')
export const ContainerCaptive = createError('DOVETAIL_ERR_CONTAINER_CAPTIVE', 'A singleton depends on a scoped service (a captive dependency).')
export const ContainerNoScope = createError('DOVETAIL_ERR_CONTAINER_NO_SCOPE', 'A scoped service was resolved outside a request scope.')
export const ContainerCycle = createError('DOVETAIL_ERR_CONTAINER_CYCLE', 'Services depend on each other in a cycle.')
export const ContainerBadProvider = createError('DOVETAIL_ERR_CONTAINER_BAD_PROVIDER', 'A registration has neither a class, a factory nor a value.')
export const ContainerDisposed = createError('DOVETAIL_ERR_CONTAINER_DISPOSED', 'The container was used after it was disposed.')

// router (the router contract: every router throws these)
export const RouterDuplicateName = createError('DOVETAIL_ERR_ROUTER_DUPLICATE_NAME', 'Two routes share one name.')
export const RouterUnknownName = createError('DOVETAIL_ERR_ROUTER_UNKNOWN_NAME', 'URL generation asked for a route name that does not exist.')
export const RouterMissingParam = createError('DOVETAIL_ERR_ROUTER_MISSING_PARAM', 'URL generation lacks a value for a route parameter.')
export const RouterInvalidRoute = createError('DOVETAIL_ERR_ROUTER_INVALID_ROUTE', 'A route definition is malformed.')
export const RouterInvalidParam = createError('DOVETAIL_ERR_ROUTER_INVALID_PARAM', 'URL generation was given a parameter value no URL can carry (a string with a lone UTF-16 surrogate).')

// request paths (the one normalisation, core/gateway/path.ts)
export const PathInvalid = createError(
  'DOVETAIL_ERR_PATH_INVALID',
  '400: the request path cannot be normalised: it does not start with /, or has a malformed percent-escape, a control character or NUL (raw or encoded), a raw backslash, a dot segment (. or .., also encoded), or escapes that are not UTF-8. See docs/router.md#paths.',
  400,
)

// pipeline
export const MiddlewareNextTwice = createError('DOVETAIL_ERR_MIDDLEWARE_NEXT_TWICE', 'A middleware called next() more than once.')
export const HandlerNoResponse = createError('DOVETAIL_ERR_HANDLER_NO_RESPONSE', 'A handler or middleware returned something other than a Response.')

// app lifecycle
export const AppNoServer = createError('DOVETAIL_ERR_APP_NO_SERVER', 'app.listen() was called but no component fills the server slot.')
export const AppClosed = createError('DOVETAIL_ERR_APP_CLOSED', 'The app was used after app.close().')

// server adapters
// The server kit's (dovetailjs/server-kit), which every FastCGI or SCGI adapter logs through.
export const ServerProtocol = createError('DOVETAIL_ERR_SERVER_PROTOCOL', 'A web server sent bytes that break the FastCGI or SCGI protocol (often: proxy_pass pointed at a FastCGI/SCGI port); the connection was closed and the failure logged.')
// The server kit's checks of what a web server passes through a gateway (CGI, FastCGI, SCGI), shared by every adapter.
export const ServerControlCharacter = createError(
  'DOVETAIL_ERR_SERVER_CONTROL_CHARACTER',
  '400: a path variable a web server passed through a gateway (REQUEST_URI, SCRIPT_NAME, PATH_INFO or QUERY_STRING) holds a control character or NUL; the request was refused before the app ran.',
  400,
)
export const ServerBodyLength = createError(
  'DOVETAIL_ERR_SERVER_BODY_LENGTH',
  '400: the request body a gateway (CGI, FastCGI, SCGI) received ended before, or ran past, its CONTENT_LENGTH; reading the body fails, so no handler takes a partial body for a whole one.',
  400,
)
// The gateway contract, as validateApp and validateServer (dovetailjs/testing) check it.
export const GatewayAppContract = createError('DOVETAIL_ERR_GATEWAY_APP_CONTRACT', "A fetch handler broke the gateway contract, as validateApp (dovetailjs/testing) found: the message names the breach and the fix, the error's breach field says which.")
export const GatewayServerContract = createError('DOVETAIL_ERR_GATEWAY_SERVER_CONTRACT', "A server adapter broke the gateway contract, as validateServer (dovetailjs/testing) found: the message names the breach and the fix, the error's breach field says which.")

// worker processes (the server kit's runWorkers, which `dovetail start --workers` uses)
export const WorkersOptions = createError('DOVETAIL_ERR_WORKERS_OPTIONS', "A worker count (server.workers, --workers, runWorkers' workers) or a supervision option of runWorkers is not valid; the message names it and what it takes.")
export const WorkersStart = createError('DOVETAIL_ERR_WORKERS_START', 'The first worker process exited before it was serving (the app did not start, or could not listen; its own error is logged above), so the primary started no others and exited 1.')
export const WorkersCrashLoop = createError('DOVETAIL_ERR_WORKERS_CRASH_LOOP', 'Worker processes exited unexpectedly crashLoopExits times within crashLoopWindow (default 5 in 60 s); the primary stopped the rest and exited 1 instead of restarting them for ever. Read the workers\' own errors above.')
// orm (what every ORM component throws, through dovetailjs/orm-kit: connection settings, use outside start/close,
// a missing driver package, the database command line, tables components keep, a sort the route does not allow)
export const OrmConfig = createError('DOVETAIL_ERR_ORM_CONFIG', "The ORM's connection settings (driver, url, DATABASE_URL) are missing, unknown or contradict each other.")
export const OrmNotStarted = createError('DOVETAIL_ERR_ORM_NOT_STARTED', 'The ORM was used before its component started or after app.close().')
export const OrmPackageMissing = createError('DOVETAIL_ERR_ORM_PACKAGE_MISSING', 'The package for the chosen database driver, or for migrations, is not installed.')
export const OrmCli = createError('DOVETAIL_ERR_ORM_CLI', 'The database command line was given an unknown command, a bad flag, or a config module without a config.')
// A request error, not a boot one: a sort field the client sent that orderByFrom (dovetailjs/orm-kit,
// re-exported by orm/mikro-orm and orm/kysely) refused before any query was built. What the ORM
// itself refuses mid-query stays a 500; docs/orm.md#request-input says why.
export const OrmInput = createError('DOVETAIL_ERR_ORM_INPUT', '400: a sort order from the request names a field the route does not allow, names one twice, or is not a string (orderByFrom); no query was run.', 400)
export const OrmTableOwned = createError('DOVETAIL_ERR_ORM_TABLE_OWNED', 'A component declared a table as its own (Orm.ownTables) that another component already declared, or gave a name that is not a plain SQL identifier.')

// templates (the template contract: ctx.render throws the first, every engine the other two)
export const TemplateNoEngine = createError('DOVETAIL_ERR_TEMPLATE_NO_ENGINE', 'ctx.render() was called but no component fills the template slot (set components.template).')
export const TemplateNotFound = createError('DOVETAIL_ERR_TEMPLATE_NOT_FOUND', 'A template (or a layout or partial it uses) is in none of the views directories.')
export const TemplateRender = createError('DOVETAIL_ERR_TEMPLATE_RENDER', 'A template failed to compile or threw while rendering; the message names the template, the line when known, and the cause.')

// session stores (the session-store contract: encodeSession throws it for every store)
export const SessionNotSerializable = createError('DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE', 'A session value is not JSON-serializable (a BigInt, a cycle), so no store can keep it.')

// caches (the cache contract: encodeCacheValue and checkCacheOptions throw them for every cache)
export const CacheNotSerializable = createError('DOVETAIL_ERR_CACHE_NOT_SERIALIZABLE', 'A value given to a cache is not JSON (a BigInt, a cycle, a function, undefined), so no cache can keep it as it is.')
export const CacheBadOptions = createError('DOVETAIL_ERR_CACHE_BAD_OPTIONS', 'A cache set or getOrCompute was given a ttl that is not a whole number of milliseconds from 1 to 30 days, or a tag that is not a non-empty string.')
// route validation (core/validation): schemas a route declares (docs/validation.md)
export const ValidationFailed = createError(
  'DOVETAIL_ERR_VALIDATION_FAILED',
  "422: a request's params, query, headers or body failed its route's schema; the handler did not run. JSON clients get RFC 9457 problem details (application/problem+json) listing each field's path and message; a route with onInvalid re-renders its form.",
  422,
)
export const ValidationResponse = createError(
  'DOVETAIL_ERR_VALIDATION_RESPONSE',
  "500, in development only: a handler's JSON response does not match the route's response schema for its status; the log line names the route and each mismatch.",
  500,
)
export const ValidationSetup = createError(
  'DOVETAIL_ERR_VALIDATION_SETUP',
  "A route's schemas are malformed (a value that is not a Standard Schema, an unknown part, a response status that is not 100 to 599) or a body schema has no body reader (add the body middleware).",
)

// http: the codes HttpError gives each status by default (see http-error.ts)
export const HttpBadRequest = createError('DOVETAIL_ERR_HTTP_BAD_REQUEST', '400 Bad Request.', 400)
export const HttpUnauthorized = createError('DOVETAIL_ERR_HTTP_UNAUTHORIZED', '401 Unauthorized.', 401)
export const HttpForbidden = createError('DOVETAIL_ERR_HTTP_FORBIDDEN', '403 Forbidden.', 403)
export const HttpNotFound = createError('DOVETAIL_ERR_HTTP_NOT_FOUND', '404 Not Found: no route matches the path.', 404)
export const HttpMethodNotAllowed = createError('DOVETAIL_ERR_HTTP_METHOD_NOT_ALLOWED', '405 Method Not Allowed: the path exists for other methods (see the Allow header).', 405)
export const HttpConflict = createError('DOVETAIL_ERR_HTTP_CONFLICT', '409 Conflict.', 409)
export const HttpPayloadTooLarge = createError('DOVETAIL_ERR_HTTP_PAYLOAD_TOO_LARGE', '413 Payload Too Large.', 413)
export const HttpUnsupportedMediaType = createError('DOVETAIL_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE', '415 Unsupported Media Type.', 415)
export const HttpTooManyRequests = createError('DOVETAIL_ERR_HTTP_TOO_MANY_REQUESTS', '429 Too Many Requests.', 429)
export const HttpInternal = createError('DOVETAIL_ERR_HTTP_INTERNAL', '500 Internal Server Error: an uncaught error in a handler.', 500)
export const HttpServiceUnavailable = createError(
  'DOVETAIL_ERR_HTTP_SERVICE_UNAVAILABLE',
  '503 Service Unavailable: a service the request needs (database, session store, cache) is down or saturated; the response carries Retry-After.',
  503,
)
// The app's own time limit (config limits.handlerTimeout; core/app/time-limit.ts).
export const HttpTimeLimit = createError(
  'DOVETAIL_ERR_HTTP_TIME_LIMIT',
  '503: the middleware and handler did not produce a response within limits.handlerTimeout; ctx.signal aborted and the response carries Retry-After.',
  503,
)

// OpenAPI documents (core/openapi/): raised while making an OpenAPI document (app.openapi(), openApiDocument), never while serving requests.
export const OpenApiNoJsonSchema = createError(
  'DOVETAIL_ERR_OPENAPI_NO_JSON_SCHEMA',
  "A route's schema has no Standard JSON Schema interface (~standard.jsonSchema), so the OpenAPI document cannot describe it; the message names the route and the part. zod 4.2+ and ArkType have it; wrap a valibot schema in toStandardJsonSchema from @valibot/to-json-schema.",
)
export const OpenApiSchema = createError(
  'DOVETAIL_ERR_OPENAPI_SCHEMA',
  "A route's schema could not be written as JSON Schema (its library threw: a type JSON cannot carry, such as a date or a transform), or is not an object schema where OpenAPI needs one (query, headers); the message names the route, the part and the cause.",
)
export const OpenApiConflict = createError(
  'DOVETAIL_ERR_OPENAPI_CONFLICT',
  'Two guards give one OpenAPI security scheme name two different definitions (the message names the scheme and both), or a scheme worked out from the container was asked for without one (openApiDocument without resolve).',
)
export const OpenApiNoRoutes = createError(
  'DOVETAIL_ERR_OPENAPI_NO_ROUTES',
  'An OpenAPI document was asked of an app whose router cannot list its routes (it has no routes(), optional in the router contract).',
)

/**
 * The core's error codes: the kernel's, and those a slot's contract makes
 * every implementation throw. Each has a row under "Core" in `docs/errors.md`.
 * A component's own codes are not here: each component exports its
 * `errorCodes` list (see `createError`).
 *
 * @example
 * import { coreErrorCodes } from 'dovetailjs'
 * coreErrorCodes.find((c) => c.code === 'DOVETAIL_ERR_COMPONENT_OPTIONS')?.meaning // "A component's options failed validation."
 */
export const coreErrorCodes = Object.freeze([
  ConfigUnknownSlot,
  ConfigUnknownComponent,
  ConfigUnknownPreset,
  ConfigInvalid,
  ConfigAmbiguousComponent,
  ComponentInvalid,
  ComponentSlotMismatch,
  ComponentContractMismatch,
  ComponentContractRange,
  ComponentDeclaration,
  ComponentPackageMissing,
  ComponentOptions,
  ComponentMissingRequirement,
  ComponentRequiredSlot,
  ComponentCycle,
  ComponentSlotUnfilled,
  ComponentStart,
  ContainerNotRegistered,
  ContainerDuplicate,
  ContainerCaptive,
  ContainerNoScope,
  ContainerCycle,
  ContainerBadProvider,
  ContainerDisposed,
  RouterDuplicateName,
  RouterUnknownName,
  RouterMissingParam,
  RouterInvalidRoute,
  RouterInvalidParam,
  PathInvalid,
  MiddlewareNextTwice,
  HandlerNoResponse,
  AppNoServer,
  AppClosed,
  ServerProtocol,
  ServerControlCharacter,
  ServerBodyLength,
  GatewayAppContract,
  GatewayServerContract,
  WorkersOptions,
  WorkersStart,
  WorkersCrashLoop,
  OrmConfig,
  OrmNotStarted,
  OrmPackageMissing,
  OrmCli,
  OrmTableOwned,
  OrmInput,
  TemplateNoEngine,
  TemplateNotFound,
  TemplateRender,
  SessionNotSerializable,
  CacheNotSerializable,
  CacheBadOptions,
  ValidationFailed,
  ValidationResponse,
  ValidationSetup,
  HttpBadRequest,
  HttpUnauthorized,
  HttpForbidden,
  HttpNotFound,
  HttpMethodNotAllowed,
  HttpConflict,
  HttpPayloadTooLarge,
  HttpUnsupportedMediaType,
  HttpTooManyRequests,
  HttpInternal,
  HttpServiceUnavailable,
  HttpTimeLimit,
  OpenApiNoJsonSchema,
  OpenApiSchema,
  OpenApiConflict,
  OpenApiNoRoutes,
])

/** One of the core's error codes (a component's own codes are in its `errorCodes`). */
export type ErrorCode = (typeof coreErrorCodes)[number]['code']
