import { token } from '../container/token.js'
import type { FetchHandler } from '../gateway/fetch-handler.js'

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number
  host: string
}

export interface ListeningServer {
  readonly port: number
  readonly host: string
  /** `http://host:port` */
  readonly url: string
  /** Stop accepting connections, let requests in flight finish, then resolve. */
  close(): Promise<void>
}

/**
 * The server slot's contract (version 1): put a fetch handler on the network.
 * An adapter translates its runtime's I/O to and from the gateway interface and
 * does nothing else.
 */
export interface Server {
  listen(handler: FetchHandler, options: ListenOptions): Promise<ListeningServer>
}

export const Server = token<Server>('Server')
