import type { Server as HttpServer, ServerResponse } from 'node:http'
import { Server as NetServer, type Socket } from 'node:net'
import { closingResponse } from '../../../core/server-kit/index.js'

/** One connection as the drain sees it. */
interface Connection {
  /** Responses not yet finished: the one being written and any pipelined behind it. */
  responses: Set<ServerResponse>
  /** When its last response finished (or it was accepted), for the idle grace. */
  idleSince: number
  /** Its last finished response said `Connection: close`: the client expects the connection to end. */
  saidClose: boolean
  graceTimer: NodeJS.Timeout | undefined
}

/**
 * Node writes `Connection: close` on a response with this flag set but, unlike
 * `shouldKeepAlive = false`, still writes the responses pipelined behind it
 * before the connection ends (the flag is how node's own maxRequestsPerSocket
 * says "last one" while answering later pipelined requests 503). Not in
 * @types/node; `shutdown.test.ts` checks the bytes it produces.
 */
type ClosingResponse = ServerResponse & { maxRequestsOnConnectionReached: boolean }

/**
 * The graceful close of a node:http server's connections: once `close()` is
 * called, every response not yet started says `Connection: close` and its
 * connection ends after it, a request that arrives is answered 503 without
 * reaching the app, and an idle keep-alive connection is closed, at once if it
 * has been idle for `idleGrace` ms, else when it has (its client may already
 * have sent its next request, which is then answered 503, not reset).
 *
 * Why not http.Server#close(): it also destroys every idle connection at once,
 * among them those whose client's next request is already on the wire; under
 * load every such client sees a reset (measured: one per connection).
 */
export class ConnectionDrain {
  readonly #server: HttpServer
  readonly #idleGrace: number
  readonly #connections = new Map<Socket, Connection>()
  #closing = false

  constructor(server: HttpServer, idleGrace: number) {
    this.#server = server
    this.#idleGrace = idleGrace
    server.on('connection', (socket: Socket) => {
      const connection: Connection = { responses: new Set(), idleSince: performance.now(), saidClose: false, graceTimer: undefined }
      this.#connections.set(socket, connection)
      socket.once('close', () => {
        clearTimeout(connection.graceTimer)
        this.#connections.delete(socket)
      })
    })
  }

  /** True once close() was called. */
  get closing(): boolean {
    return this.#closing
  }

  /**
   * A request arrived: follow its response. While closing it is answered 503
   * here and true is returned (the app is not called).
   */
  admit(res: ServerResponse): boolean {
    // res.socket is null while the response waits behind another on its connection.
    const socket = res.req.socket
    const connection = this.#connections.get(socket)
    if (connection) {
      clearTimeout(connection.graceTimer)
      connection.responses.add(res)
      res.once('close', () => this.#finished(socket, connection, res))
    }
    if (!this.#closing) return false
    ;(res as ClosingResponse).maxRequestsOnConnectionReached = true
    res.writeHead(closingResponse.status, closingResponse.headers)
    res.end(closingResponse.body)
    return true
  }

  /**
   * Stop accepting and drain: resolves once every connection has closed.
   * Responses not yet started say `Connection: close`; idle connections close.
   */
  close(): Promise<void> {
    this.#closing = true
    const closed = new Promise<void>((resolve) => {
      // net.Server's close: stop listening and call back once the last connection is gone, without
      // http.Server's own closeIdleConnections() (see the class comment). Then http.Server's, for its
      // timeout sweep, once there is nothing left for it to close.
      NetServer.prototype.close.call(this.#server, () => {
        this.#server.close()
        resolve()
      })
    })
    for (const [socket, connection] of this.#connections) {
      for (const res of connection.responses) if (!res.headersSent) (res as ClosingResponse).maxRequestsOnConnectionReached = true
      if (connection.responses.size === 0) this.#whenIdle(socket, connection)
    }
    return closed
  }

  /** Cut every connection still open; how many there were and how many requests they had in flight. */
  cut(): { connections: number; requests: number } {
    let requests = 0
    const connections = this.#connections.size
    for (const [socket, connection] of this.#connections) {
      requests += connection.responses.size
      socket.destroy()
    }
    return { connections, requests }
  }

  #finished(socket: Socket, connection: Connection, res: ServerResponse): void {
    connection.responses.delete(res)
    if (connection.responses.size > 0) return
    connection.idleSince = performance.now()
    connection.saidClose = (res as ClosingResponse).maxRequestsOnConnectionReached || !res.shouldKeepAlive
    if (this.#closing) this.#whenIdle(socket, connection)
  }

  /** While closing, a connection with nothing in flight: end it now, or once its grace is over. */
  #whenIdle(socket: Socket, connection: Connection): void {
    if (connection.saidClose) {
      // The client was told; end() lets it read the last response before the connection goes.
      socket.end()
      return
    }
    const left = connection.idleSince + this.#idleGrace - performance.now()
    if (left <= 0) {
      socket.destroy()
      return
    }
    clearTimeout(connection.graceTimer)
    connection.graceTimer = setTimeout(() => {
      if (connection.responses.size === 0) socket.destroy()
    }, left)
  }
}
