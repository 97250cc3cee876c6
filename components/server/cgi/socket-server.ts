import type { FetchHandler, ListeningServer, ListenOptions, Server } from '../../../core/index.js'
import type { SocketServerOptions } from './options.js'
import { type Connection, listenSockets } from './socket-listener.js'

/**
 * What the FastCGI and SCGI servers share: listen on TCP or a unix socket and
 * hand each connection to the protocol (`accept`). They differ only once a
 * connection is open.
 *
 * @example
 * class ScgiServer extends SocketServer {
 *   constructor(options: ScgiServerOptions, logger?: Logger) {
 *     super('scgi', options, (connection, handler) => new ScgiConnection(connection, handler, options, logger))
 *   }
 * }
 */
export class SocketServer implements Server {
  readonly #scheme: string
  readonly #options: SocketServerOptions
  readonly #accept: (connection: Connection, handler: FetchHandler) => void

  constructor(scheme: string, options: SocketServerOptions, accept: (connection: Connection, handler: FetchHandler) => void) {
    this.#scheme = scheme
    this.#options = options
    this.#accept = accept
  }

  listen(handler: FetchHandler, where: ListenOptions): Promise<ListeningServer> {
    const o = this.#options
    return listenSockets((connection) => this.#accept(connection, handler), where, {
      scheme: this.#scheme,
      shutdownTimeout: o.shutdownTimeout,
      idleTimeout: o.idleTimeout,
      socketPath: o.socketPath,
      socketMode: o.socketMode,
    })
  }
}
