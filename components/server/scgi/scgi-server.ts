import type { Logger } from '../../../core/index.js'
import { SocketServer, type SocketServerOptions } from '../../../core/server-kit/index.js'
import { ScgiConnection } from './scgi-connection.js'

/** Options of {@link ScgiServer}; defaults in `socketServerOptions`. */
export type ScgiServerOptions = SocketServerOptions

/**
 * The server slot as an SCGI server: a web server (nginx `scgi_pass`, Apache
 * mod_proxy_scgi, lighttpd mod_scgi) speaks HTTP to the client and SCGI to
 * this process, one request per connection.
 *
 * @example
 * const server = new ScgiServer(scgiServerOptions.parse({}))
 * const listening = await server.listen(app.fetch, { port: 4000, host: '127.0.0.1' })
 * // nginx: location / { include scgi_params; scgi_pass 127.0.0.1:4000; }
 */
export class ScgiServer extends SocketServer {
  constructor(options: ScgiServerOptions, logger?: Logger) {
    super('scgi', options, (connection, handler) => new ScgiConnection(connection, handler, options, logger), logger)
  }
}
