/**
 * The one registry of Dovetail's stable error codes. Each code is documented in
 * `docs/errors.md`; a test keeps the two in step, so a code can't ship undocumented.
 */
export const errorCodes = {
  // config and boot
  DOVETAIL_ERR_CONFIG_UNKNOWN_SLOT: 'A config names a slot that does not exist.',
  DOVETAIL_ERR_CONFIG_UNKNOWN_COMPONENT: 'A config names a built-in component that does not exist, or a package that is not installed.',
  DOVETAIL_ERR_CONFIG_UNKNOWN_PRESET: 'A config names a preset that does not exist.',
  DOVETAIL_ERR_CONFIG_INVALID: 'A config value has the wrong shape.',
  DOVETAIL_ERR_COMPONENT_INVALID: 'An object given as a component is not one (see defineComponent).',
  DOVETAIL_ERR_COMPONENT_SLOT_MISMATCH: 'A component was put in a slot other than the one it declares.',
  DOVETAIL_ERR_COMPONENT_CONTRACT_MISMATCH: "A component's contract range does not include the version of its slot's contract this core provides.",
  DOVETAIL_ERR_COMPONENT_CONTRACT_RANGE: 'A component (in defineComponent or its package.json declaration) gives a contract range that is not a semver range.',
  DOVETAIL_ERR_COMPONENT_DECLARATION: "A package's dovetail field in package.json is malformed, or disagrees with the component its entry exports.",
  DOVETAIL_ERR_CONFIG_AMBIGUOUS_COMPONENT: 'Two installed packages declare a component of the same name for one slot; name it as <package>#<name>.',
  DOVETAIL_ERR_COMPONENT_OPTIONS: "A component's options failed validation.",
  DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT: 'A component needs a slot that no component fills.',
  DOVETAIL_ERR_COMPONENT_REQUIRED_SLOT: 'A slot every app needs has no component.',
  DOVETAIL_ERR_COMPONENT_CYCLE: 'Components require each other in a cycle.',
  DOVETAIL_ERR_COMPONENT_START: 'A component failed to start.',
  // container
  DOVETAIL_ERR_CONTAINER_NOT_REGISTERED: 'A token was resolved that nothing registered.',
  DOVETAIL_ERR_CONTAINER_DUPLICATE: 'Two registrations for one token.',
  DOVETAIL_ERR_CONTAINER_CAPTIVE: 'A singleton depends on a scoped service (a captive dependency).',
  DOVETAIL_ERR_CONTAINER_NO_SCOPE: 'A scoped service was resolved outside a request scope.',
  DOVETAIL_ERR_CONTAINER_CYCLE: 'Services depend on each other in a cycle.',
  DOVETAIL_ERR_CONTAINER_BAD_PROVIDER: 'A registration has neither a class, a factory nor a value.',
  DOVETAIL_ERR_CONTAINER_DISPOSED: 'The container was used after it was disposed.',
  // router
  DOVETAIL_ERR_ROUTER_DUPLICATE_NAME: 'Two routes share one name.',
  DOVETAIL_ERR_ROUTER_UNKNOWN_NAME: 'URL generation asked for a route name that does not exist.',
  DOVETAIL_ERR_ROUTER_MISSING_PARAM: 'URL generation lacks a value for a route parameter.',
  DOVETAIL_ERR_ROUTER_INVALID_ROUTE: 'A route definition is malformed.',
  // pipeline
  DOVETAIL_ERR_MIDDLEWARE_NEXT_TWICE: 'A middleware called next() more than once.',
  DOVETAIL_ERR_HANDLER_NO_RESPONSE: 'A handler or middleware returned something other than a Response.',
  // app lifecycle
  DOVETAIL_ERR_APP_NO_SERVER: 'app.listen() was called but no component fills the server slot.',
  DOVETAIL_ERR_APP_CLOSED: 'The app was used after app.close().',
  // server adapters
  DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT: 'server/cgi was asked to answer a request, but no CGI web server started this process (GATEWAY_INTERFACE and REQUEST_METHOD are unset), or it was asked twice.',
  DOVETAIL_ERR_SERVER_PROTOCOL: 'A web server sent bytes that break the FastCGI or SCGI protocol (often: proxy_pass pointed at a FastCGI/SCGI port); the connection was closed and the failure logged.',
  // templates
  DOVETAIL_ERR_TEMPLATE_NO_ENGINE: 'ctx.render() was called but no component fills the template slot (set components.template).',
  DOVETAIL_ERR_TEMPLATE_NOT_FOUND: 'A template (or a layout or partial it uses) is in none of the views directories.',
  DOVETAIL_ERR_TEMPLATE_RENDER: 'A template failed to compile or threw while rendering; the message names the template, the line when known, and the cause.',
  // orm
  DOVETAIL_ERR_ORM_CONFIG: "The ORM's connection settings (driver, url, DATABASE_URL) are missing, unknown or contradict each other.",
  DOVETAIL_ERR_ORM_NOT_STARTED: 'The ORM was used before its component started or after app.close().',
  DOVETAIL_ERR_ORM_PACKAGE_MISSING: 'The package for the chosen database driver, or for migrations, is not installed.',
  DOVETAIL_ERR_ORM_CLI: 'The database command line was given an unknown command, a bad flag, or a config module without a config.',
  // http
  DOVETAIL_ERR_HTTP_BAD_REQUEST: '400 Bad Request.',
  DOVETAIL_ERR_HTTP_UNAUTHORIZED: '401 Unauthorized.',
  DOVETAIL_ERR_HTTP_FORBIDDEN: '403 Forbidden.',
  DOVETAIL_ERR_HTTP_NOT_FOUND: '404 Not Found: no route matches the path.',
  DOVETAIL_ERR_HTTP_METHOD_NOT_ALLOWED: '405 Method Not Allowed: the path exists for other methods (see the Allow header).',
  DOVETAIL_ERR_HTTP_CONFLICT: '409 Conflict.',
  DOVETAIL_ERR_HTTP_PAYLOAD_TOO_LARGE: '413 Payload Too Large.',
  DOVETAIL_ERR_HTTP_UNSUPPORTED_MEDIA_TYPE: '415 Unsupported Media Type.',
  DOVETAIL_ERR_HTTP_TOO_MANY_REQUESTS: '429 Too Many Requests.',
  DOVETAIL_ERR_HTTP_INTERNAL: '500 Internal Server Error: an uncaught error in a handler.',
  // static files and request bodies
  DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE: '416: a Range request starts beyond the end of the file; Content-Range gives the size.',
  DOVETAIL_ERR_BODY_MALFORMED: '400: the request body does not parse as its Content-Type says (bad JSON, broken multipart, invalid UTF-8).',
  DOVETAIL_ERR_BODY_FORBIDDEN_KEY: '400: a JSON body has a __proto__ or constructor.prototype key (prototype poisoning); see the body option protoKeys.',
  DOVETAIL_ERR_BODY_TOO_LARGE: '413: the request body is larger than the body option limits.body (limits.multipart for multipart forms).',
  DOVETAIL_ERR_BODY_TOO_MANY_FIELDS: '413: a form has more fields than the body option limits.fields.',
  DOVETAIL_ERR_BODY_FIELD_TOO_LARGE: '413: a form field is longer than the body option limits.fieldSize.',
  DOVETAIL_ERR_BODY_TOO_MANY_FILES: '413: a multipart form has more files than the body option limits.files.',
  DOVETAIL_ERR_BODY_FILE_TOO_LARGE: '413: an uploaded file is larger than the body option limits.fileSize.',
  DOVETAIL_ERR_BODY_UNSUPPORTED_TYPE: '415: the request body has a Content-Type the route does not read (or none).',
  DOVETAIL_ERR_BODY_NO_MIDDLEWARE: 'readBody/readJson/readForm was called in a request the body middleware did not handle (add it to components.middleware).',
  DOVETAIL_ERR_BODY_ALREADY_READ: 'The request body stream was read by something else before readBody/readJson/readForm.',
  // sessions, csrf, auth
  DOVETAIL_ERR_SESSION_NO_MIDDLEWARE: 'session(ctx) was called in a request the session middleware did not handle: it is missing from components.middleware, or listed after the caller.',
  DOVETAIL_ERR_SESSION_NOT_SERIALIZABLE: 'A session value is not JSON-serializable (a BigInt, a cycle), so no store can keep it.',
  DOVETAIL_ERR_SESSION_COOKIE_TOO_LARGE: 'The cookie session store was given more data than fits in a cookie (its maxBytes option).',
  DOVETAIL_ERR_SESSION_NO_SECRETS: 'The cookie session store has no secrets: give it the secrets option or add the session middleware.',
  DOVETAIL_ERR_CSRF_TOKEN_MISSING: '403: an unsafe form request carried no CSRF token (form field _csrf or header x-csrf-token).',
  DOVETAIL_ERR_CSRF_TOKEN_INVALID: "403: the CSRF token does not match this session's (the form is stale or was made for another session).",
  DOVETAIL_ERR_CSRF_ORIGIN_MISMATCH: '403: an unsafe request came from another origin (Origin or Referer) that is not in trustedOrigins.',
  DOVETAIL_ERR_CSRF_NO_SESSION: 'The csrf middleware runs without the session middleware before it.',
  DOVETAIL_ERR_AUTH_UNAUTHENTICATED: '401: the route needs a signed-in user (HTML requests are redirected to the login page instead).',
  DOVETAIL_ERR_AUTH_FORBIDDEN: '403: the signed-in user lacks the role or permission the route needs.',
  DOVETAIL_ERR_AUTH_RATE_LIMITED: "429: too many failed logins for this account or address; retry after the Retry-After header's seconds.",
  DOVETAIL_ERR_AUTH_NO_USER_LOADER: 'The auth middleware has no way to load a user: give it loadUser or register the UserLoader token.',
  DOVETAIL_ERR_AUTH_NO_MIDDLEWARE: 'An auth helper (currentUser, login, a guard) was used in a request the auth middleware did not handle.',
  DOVETAIL_ERR_AUTH_BAD_HASH: 'verifyPassword was given a stored hash that hashPassword did not produce.',
} as const

/** A stable, documented error code. */
export type ErrorCode = keyof typeof errorCodes
