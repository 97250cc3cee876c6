import type { Logger } from '../slots/logger.js'

/**
 * Seconds a client is told to wait (`Retry-After`) before it retries a request
 * that a closing server refused with 503. One second: long enough for a
 * process manager to restart the app, short enough that a load balancer with
 * another instance loses nothing by honouring it.
 */
export const closingRetryAfter = 1

/**
 * On close, how long a connection that has just gone idle is kept for a
 * request its client may already have sent, in ms (the default of every
 * server's `shutdownIdleGrace`). A busy keep-alive client sends its next
 * request within a few milliseconds of the last response; closing its
 * connection in that window makes it see a reset instead of an answer.
 */
export const defaultShutdownIdleGrace = 250

/**
 * What every built-in server answers to a request that arrives while it is
 * closing, as status, headers and body. The node server adds
 * `Connection: close`; the CGI-family servers send {@link closingCgiResponse}.
 *
 * @example
 * res.writeHead(closingResponse.status, closingResponse.headers)
 * res.end(closingResponse.body)
 */
const closingBody = 'The server is shutting down; retry the request.'
export const closingResponse = {
  status: 503,
  headers: {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(closingBody.length),
    'retry-after': String(closingRetryAfter),
  },
  body: closingBody,
} as const

/**
 * {@link closingResponse} as a CGI response (`Status: 503` and its headers),
 * for FastCGI STDOUT records or an SCGI connection.
 *
 * @example
 * socket.end(closingCgiResponse())
 */
export function closingCgiResponse(): Buffer {
  let head = `Status: ${closingResponse.status} Service Unavailable\r\n`
  for (const [name, value] of Object.entries(closingResponse.headers)) head += `${name}: ${value}\r\n`
  return Buffer.from(`${head}\r\n${closingResponse.body}`, 'latin1')
}

/**
 * Log that `shutdownTimeout` ran out and connections were cut, with how many
 * requests were still in flight on them: a warning, to `logger` or else to
 * stderr. `component` names the server.
 *
 * @example
 * logShutdownCut(logger, 'server/fastcgi', { shutdownTimeout: 10_000, connections: 2, requests: 3 })
 * // logger.warn({ connections: 2, requests: 3 }, 'server/fastcgi: shutdownTimeout (10000 ms) ran out: cut 2 connections with 3 requests in flight')
 */
export function logShutdownCut(
  logger: Logger | undefined,
  component: string,
  { shutdownTimeout, connections, requests }: { shutdownTimeout: number; connections: number; requests: number },
): void {
  const message = `${component}: shutdownTimeout (${shutdownTimeout} ms) ran out: cut ${connections} connections with ${requests} requests in flight`
  if (logger) logger.warn({ connections, requests }, message)
  else process.stderr.write(`dovetail/${message}\n`)
}
