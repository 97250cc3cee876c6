export { cgi, cgi as default, cgiServerOptions, CgiServer, type CgiServerOptions } from './component.js'
export { serveCgi, type ServeCgiOptions } from './serve-cgi.js'
export { errorCodes, ServerCgiEnvironment, ServerCgiWorkers } from './errors.js'
