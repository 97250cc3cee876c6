import { chmod, unlink } from 'node:fs/promises'
import { type AddressInfo, connect, createServer, type Server as NetServer, type Socket } from 'node:net'
import type { Logger } from '../slots/logger.js'
import type { ListeningServer, ListenOptions } from '../slots/server.js'
import { defaultShutdownIdleGrace, logShutdownCut } from './shutdown.js'

/**
 * One connection from the web server, as the listener tracks it for a
 * graceful close. The protocol calls `begin()` when a request starts arriving
 * and `finish()` once it is answered; once `closing`, it answers a new request
 * with {@link closingCgiResponse} instead of calling the app.
 *
 * @example
 * socket.on('data', (bytes) => {
 *   connection.begin()
 *   if (connection.closing) return void socket.write(closingCgiResponse(), () => connection.finish())
 *   answerCgiOnSocket(handler, request, out, log, connection.socket, () => connection.finish())
 * })
 */
export class SocketConnection {
  /** The connection itself; the listener has set its idle timeout and error handler. */
  readonly socket: Socket
  #requests = 0
  #closing = false
  /** When its last request was answered (or it was accepted), for the idle grace on close. */
  #idleSince = performance.now()
  #graceTimer: NodeJS.Timeout | undefined
  #peerEnded = false

  constructor(socket: Socket) {
    this.socket = socket
    socket.once('close', () => clearTimeout(this.#graceTimer))
  }

  /** True while no request is in flight on this connection. */
  get idle(): boolean {
    return this.#requests === 0
  }

  /** How many requests are in flight on this connection. */
  get inFlight(): number {
    return this.#requests
  }

  /** True once the server is closing: the protocol must take no new request (it answers one with {@link closingCgiResponse}). */
  get closing(): boolean {
    return this.#closing
  }

  /** True once the web server has ended its side of the connection: no more bytes will arrive, answers still may leave. */
  get peerEnded(): boolean {
    return this.#peerEnded
  }

  /** A request started arriving on this connection. */
  begin(): void {
    this.#requests++
    clearTimeout(this.#graceTimer)
  }

  /** A request is answered; a closing server, or a web server that ended its side, lets the connection go once it is idle. */
  finish(): void {
    this.#requests--
    this.#idleSince = performance.now()
    if (this.#requests === 0 && (this.#closing || this.#peerEnded)) this.socket.end()
  }

  /** @internal The web server ended its side: end ours once the requests in flight are answered. */
  endedByPeer(): void {
    this.#peerEnded = true
    if (this.#requests === 0) this.socket.end()
  }

  /**
   * @internal The server is closing. An idle connection ends at once if it has
   * been idle for `idleGrace` ms, else once it has: its web server may already
   * have sent a request on it, which is then answered 503 rather than lost.
   */
  shutdown(idleGrace: number): void {
    this.#closing = true
    if (this.#requests > 0) return
    const left = this.#idleSince + idleGrace - performance.now()
    if (left <= 0) return void this.socket.end()
    this.#graceTimer = setTimeout(() => {
      if (this.#requests === 0) this.socket.end()
    }, left)
  }
}

/**
 * How {@link listenSockets} listens and closes.
 *
 * @example
 * const options: SocketListenerOptions = { scheme: 'foo', shutdownTimeout: 10_000, idleTimeout: 60_000 }
 */
export interface SocketListenerOptions {
  /** The scheme of the listening server's `url` (`fastcgi`, `scgi`). */
  scheme: string
  /** How long requests in flight may run after close() before their connections are cut, in ms. */
  shutdownTimeout: number
  /**
   * On close, how long a connection that has just gone idle is kept for a
   * request already on its way (answered 503), in ms; one idle longer ends at
   * once. @default defaultShutdownIdleGrace (250)
   */
  shutdownIdleGrace?: number | undefined
  /** Where a close that had to cut connections is logged (else stderr). */
  logger?: Logger | undefined
  /** A connection with no request in flight and no bytes either way for this long is closed, in ms. */
  idleTimeout: number
  /** Listen on this unix socket instead of host and port. */
  socketPath?: string | undefined
  /** File mode of the unix socket, e.g. 0o660 for a web server in the same group. */
  socketMode?: number | undefined
}

/**
 * Listen on TCP or a unix socket, hand each connection to the protocol, and
 * close gracefully: stop accepting, let each connection finish its requests
 * in flight and end it once idle (an idle one after `shutdownIdleGrace`, for a
 * request already on its way), cut what is left after shutdownTimeout and log
 * how many requests that cut.
 * Shared by the FastCGI and SCGI servers, whose protocols differ only once a
 * connection is open. {@link SocketServer} is this with the options of
 * {@link socketServerOptions}; call it directly for options of your own.
 *
 * @example
 * const listening = await listenSockets((connection) => new FooConnection(connection, handler), { port: 9000, host: '127.0.0.1' }, options)
 * listening.url // 'foo://127.0.0.1:9000'
 */
export async function listenSockets(
  onConnection: (connection: SocketConnection) => void,
  { port, host }: ListenOptions,
  options: SocketListenerOptions,
): Promise<ListeningServer> {
  const connections = new Set<SocketConnection>()
  // allowHalfOpen: a web server that ends its side after sending a request (or half of one) can still read
  // the answer, a 400 included; node would otherwise end our side at once. SocketConnection ends it instead,
  // once the requests in flight are answered, and the protocol hears of the end itself to refuse what is cut short.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    const connection = new SocketConnection(socket)
    connections.add(connection)
    socket.once('close', () => connections.delete(connection))
    socket.once('end', () => connection.endedByPeer())
    // A peer that resets the connection is the web server's business; the protocol hears of it through 'close'.
    socket.on('error', () => {})
    // A peer that opens a connection and goes quiet must not hold it forever; one busy with a request is left alone.
    socket.setTimeout(options.idleTimeout, () => {
      if (connection.idle) socket.destroy()
    })
    onConnection(connection)
  })
  if (options.socketPath) await listenPath(server, options.socketPath, options.socketMode)
  else await listenOn(server, () => server.listen(port, host))

  const address = server.address()
  const where =
    typeof address === 'string' || address === null
      ? { port: 0, host: options.socketPath!, url: `unix:${options.socketPath}` }
      : tcpAddress(address, options.scheme)
  let closed: Promise<void> | undefined
  return {
    ...where,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          const cut = { shutdownTimeout: options.shutdownTimeout, connections: connections.size, requests: 0 }
          for (const c of connections) {
            cut.requests += c.inFlight
            c.socket.destroy()
          }
          if (cut.connections > 0) logShutdownCut(options.logger, `server/${options.scheme}`, cut)
        }, options.shutdownTimeout)
        force.unref()
        server.close(() => {
          clearTimeout(force)
          resolve()
        })
        for (const c of connections) c.shutdown(options.shutdownIdleGrace ?? defaultShutdownIdleGrace)
      })
      return closed
    },
  }
}

function tcpAddress(address: AddressInfo, scheme: string) {
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return { port: address.port, host: address.address, url: `${scheme}://${shown}:${address.port}` }
}

function listenOn(server: NetServer, start: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.once('listening', () => {
      server.off('error', reject)
      resolve()
    })
    start()
  })
}

/** Listen on a unix socket, replacing a stale socket file that nothing listens on any more (left by a crash). */
async function listenPath(server: NetServer, path: string, mode: number | undefined): Promise<void> {
  try {
    await listenOn(server, () => server.listen(path))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || (await answers(path))) throw error
    await unlink(path)
    await listenOn(server, () => server.listen(path))
  }
  if (mode !== undefined) await chmod(path, mode)
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path)
    probe.once('connect', () => {
      probe.destroy()
      resolve(true)
    })
    probe.once('error', () => resolve(false))
  })
}
