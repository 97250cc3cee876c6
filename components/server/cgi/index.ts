export { cgi, cgi as default, cgiServerOptions, CgiServer, type CgiServerOptions } from './component.js'
export { serveCgi, type ServeCgiOptions } from './serve-cgi.js'
export { cgiRequest, cgiUrl, type CgiParams, type CgiRequestInit, type CgiVariables } from './cgi-request.js'
export { cgiResponseParts, type CgiResponseParts } from './cgi-response.js'
