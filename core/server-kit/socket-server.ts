import type { FetchHandler } from '../gateway/fetch-handler.js'
import type { Logger } from '../slots/logger.js'
import type { ListeningServer, ListenOptions, Server } from '../slots/server.js'
import type { SocketServerOptions } from './adapter-options.js'
import { type SocketConnection, listenSockets } from './socket-listener.js'

/**
 * A `Server` for a protocol spoken over TCP or a unix socket, as the FastCGI
 * and SCGI servers are: it listens, hands each connection to the protocol
 * (`accept`), and closes gracefully. Subclass it, or construct it, with the
 * protocol's connection class; options come from {@link socketServerOptions}.
 * `logger` hears of a close that had to cut requests in flight.
 *
 * @example
 * class FooServer extends SocketServer {
 *   constructor(options: SocketServerOptions, logger?: Logger) {
 *     super('foo', options, (connection, handler) => new FooConnection(connection, handler, options, logger), logger)
 *   }
 * }
 */
export class SocketServer implements Server {
  readonly #scheme: string
  readonly #options: SocketServerOptions
  readonly #accept: (connection: SocketConnection, handler: FetchHandler) => void
  readonly #logger: Logger | undefined

  constructor(scheme: string, options: SocketServerOptions, accept: (connection: SocketConnection, handler: FetchHandler) => void, logger?: Logger) {
    this.#scheme = scheme
    this.#options = options
    this.#accept = accept
    this.#logger = logger
  }

  listen(handler: FetchHandler, where: ListenOptions): Promise<ListeningServer> {
    const o = this.#options
    return listenSockets((connection) => this.#accept(connection, handler), where, {
      scheme: this.#scheme,
      shutdownTimeout: o.shutdownTimeout,
      shutdownIdleGrace: o.shutdownIdleGrace,
      logger: this.#logger,
      idleTimeout: o.idleTimeout,
      socketPath: o.socketPath,
      socketMode: o.socketMode,
    })
  }
}
