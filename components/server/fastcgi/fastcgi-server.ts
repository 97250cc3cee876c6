import type { z } from 'zod'
import type { Logger } from '../../../core/index.js'
import { SocketServer } from '../../../core/server-kit/index.js'
import type { fastcgiServerOptions } from './component.js'
import { FastCgiConnection } from './fastcgi-connection.js'

/** Options of {@link FastCgiServer}, after parsing; defaults in `fastcgiServerOptions`. */
export type FastCgiServerOptions = z.output<typeof fastcgiServerOptions>

/**
 * The server slot as a FastCGI responder: a web server (nginx `fastcgi_pass`,
 * Apache mod_proxy_fcgi, lighttpd mod_fastcgi) speaks HTTP to the client and
 * FastCGI to this process. Connections may be kept (FCGI_KEEP_CONN) and
 * multiplexed; FCGI_GET_VALUES is answered.
 *
 * @example
 * const server = new FastCgiServer(fastcgiServerOptions.parse({}))
 * const listening = await server.listen(app.fetch, { port: 9000, host: '127.0.0.1' })
 * // nginx: location / { include fastcgi_params; fastcgi_pass 127.0.0.1:9000; }
 */
export class FastCgiServer extends SocketServer {
  constructor(options: FastCgiServerOptions, logger?: Logger) {
    super('fastcgi', options, (connection, handler) => new FastCgiConnection(connection, handler, options, logger), logger)
  }
}
