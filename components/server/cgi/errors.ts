import { createError } from '../../../core/index.js'

// The code server/cgi owns. It has a row under server/cgi in docs/errors.md;
// a test checks both ways.
export const ServerCgiEnvironment = createError(
  'DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT',
  'server/cgi was asked to answer a request, but no CGI web server started this process (GATEWAY_INTERFACE and REQUEST_METHOD are unset), or it was asked twice.',
)

export const ServerCgiWorkers = createError(
  'DOVETAIL_ERR_SERVER_CGI_WORKERS',
  'server/cgi was asked to listen in a worker process (server.workers, --workers, runWorkers): CGI answers one request per process, started by the web server, so there is no port to share. Run it without workers.',
)

/**
 * Every error code server/cgi raises, with its meaning.
 *
 * @example
 * import { errorCodes } from 'dovetailjs/components/server/cgi'
 * errorCodes.map((c) => c.code) // ['DOVETAIL_ERR_SERVER_CGI_ENVIRONMENT', 'DOVETAIL_ERR_SERVER_CGI_WORKERS']
 */
export const errorCodes = Object.freeze([ServerCgiEnvironment, ServerCgiWorkers])
