import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type FetchHandler, type ListeningServer, type ListenOptions, type Logger, type Server } from '../../../core/index.js'
import { isValidHost, logShutdownCut } from '../../../core/server-kit/index.js'
import { ConnectionDrain } from './connection-drain.js'
import { lazyRequest } from './lazy-request.js'
import { writeResponse } from './write-response.js'

export interface NodeServerOptions {
  /** Time allowed to receive a request's headers, in ms; then 408. At most requestTimeout. @default 30000 */
  headersTimeout: number
  /** Time allowed to receive a whole request, in ms; then 408. @default 60000 */
  requestTimeout: number
  /** How long an idle keep-alive connection stays open, in ms. @default 5000 */
  keepAliveTimeout: number
  /** Largest request header block, in bytes; larger answers 431. @default 16384 */
  maxHeaderSize: number
  /** On close, how long requests in flight may take before their connections are cut, in ms. @default 10000 */
  shutdownTimeout: number
  /**
   * On close, how long a keep-alive connection that has just gone idle is kept
   * for a request its client may already have sent (answered 503), in ms; one
   * idle for longer is closed at once. @default 250
   */
  shutdownIdleGrace: number
  /** Take the scheme and host from X-Forwarded-Proto / X-Forwarded-Host. Only behind a proxy you run. @default false */
  trustProxy: boolean
}

/**
 * A node:http request listener for any fetch handler. Exported for users who
 * run their own `http.Server`.
 *
 * @example
 * import { createServer } from 'node:http'
 * createServer(toRequestListener(app.fetch)).listen(3000)
 */
export function toRequestListener(handler: FetchHandler, options: { trustProxy?: boolean; logger?: Logger } = {}): RequestListener {
  const trustProxy = options.trustProxy ?? false
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = absoluteUrl(req, trustProxy)
    if (url === undefined) return refuse(res)
    const request = lazyRequest(req, res, url)
    let response: Response | Promise<Response>
    try {
      response = handler(request)
    } catch (error) {
      return fail(res, error, options.logger)
    }
    // A promise chain only where one is needed: most responses are written synchronously.
    if (response instanceof Promise) response.then((r) => send(r, req, res, options.logger), (error) => fail(res, error, options.logger))
    else send(response, req, res, options.logger)
  }
}

function send(response: Response, req: IncomingMessage, res: ServerResponse, logger: Logger | undefined): void {
  // Answered before the body arrived (a 413 on the declared length, a 401 before
  // an upload): node would keep the connection and wait to discard a body the
  // client may never send. Closing it frees the connection at once, as Go's
  // net/http does past a small discard budget.
  if (!req.complete && hasBody(req)) res.shouldKeepAlive = false
  try {
    writeResponse(response, res)?.catch((error) => fail(res, error, logger))
  } catch (error) {
    fail(res, error, logger)
  }
}

/** Whether the request's head announces a body (a bodyless GET is not complete yet when a synchronous handler answers). */
const hasBody = (req: IncomingMessage): boolean => {
  const length = req.headers['content-length']
  return length === undefined ? req.headers['transfer-encoding'] !== undefined : length !== '0'
}

/**
 * The request's absolute URL, or undefined when the request cannot name one
 * and must be answered 400 (RFC 9112 §3.2): a Host (or trusted
 * X-Forwarded-Host) that is not `host[:port]` (`isValidHost`), two Host
 * headers, an X-Forwarded-Proto other than http or https, or a
 * request-target that is neither origin-form (`/path?query`) nor
 * absolute-form (`http://host/path`; its authority is the host, and the Host
 * header is ignored, as RFC 9112 §3.2.2 says). Unchecked, a Host such as
 * `x/admin?` would put another path into `request.url` than the one node read.
 */
function absoluteUrl(req: IncomingMessage, trustProxy: boolean): string | undefined {
  const forwardedProto = trustProxy ? firstValue(req.headers['x-forwarded-proto']) : undefined
  if (forwardedProto !== undefined && !/^https?$/i.test(forwardedProto)) return undefined
  const scheme = forwardedProto?.toLowerCase() ?? ((req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http')
  let target = req.url ?? '/'
  let host: string | undefined
  if (target.charCodeAt(0) === 0x2f /* / */) {
    if (hostLines(req.rawHeaders) > 1) return undefined
    host = req.headers.host
  } else {
    const absolute = /^https?:\/\/([^/?#]*)/i.exec(target)
    if (!absolute) return undefined
    host = absolute[1]!
    target = target.slice(absolute[0].length)
    if (target.charCodeAt(0) !== 0x2f) target = `/${target}`
  }
  const forwardedHost = trustProxy ? firstValue(req.headers['x-forwarded-host']) : undefined
  host = forwardedHost ?? host
  // No Host at all (HTTP/1.0; node answers 400 itself to an HTTP/1.1 request without one): the address it came in on.
  if (host === undefined) host = localAuthority(req)
  else if (host !== lastValidHost) {
    if (!isValidHost(host)) return undefined
    lastValidHost = host
  }
  return `${scheme}://${host}${target}`
}

/** The Host last found valid: nearly every request names the same one, and comparing costs less than checking. */
let lastValidHost: string | undefined

function hostLines(raw: string[]): number {
  let count = 0
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.length === 4 && raw[i]!.toLowerCase() === 'host') count++
  return count
}

function localAuthority(req: IncomingMessage): string {
  const address = req.socket.localAddress ?? '127.0.0.1'
  return `${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort}`
}

/** 400 for a request that names no valid URL; the connection is closed, since what else it sends cannot be trusted either. */
function refuse(res: ServerResponse): void {
  res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
  res.end('Bad Request: the Host header or the request target is malformed.\n')
}

const firstValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v?.split(',')[0]?.trim())

function fail(res: ServerResponse, error: unknown, logger: Logger | undefined): void {
  if (logger) logger.error({ err: error }, 'the fetch handler failed')
  else process.stderr.write(`dovetail/server/node: the fetch handler failed: ${(error as Error)?.stack ?? error}\n`)
  if (!res.headersSent) {
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
    res.end('Internal Server Error')
  } else {
    res.destroy()
  }
}

/**
 * node:http enforces headersTimeout and requestTimeout only when it sweeps its
 * connections, every 30 s by default, so a 5 s headersTimeout could let a slow
 * client hold a connection for 35 s. Sweep often enough that a timeout fires
 * within a quarter of its value (the sweep is cheap: one pass over open connections).
 */
const checkingInterval = (o: NodeServerOptions): number =>
  Math.min(30_000, Math.max(50, Math.floor(Math.min(o.headersTimeout, o.requestTimeout) / 4)))

/** The server slot on node:http. */
export class NodeServer implements Server {
  readonly #options: NodeServerOptions
  readonly #logger: Logger | undefined

  constructor(options: NodeServerOptions, logger?: Logger) {
    this.#options = options
    this.#logger = logger
  }

  async listen(handler: FetchHandler, { port, host }: ListenOptions): Promise<ListeningServer> {
    const o = this.#options
    const server = createServer({
      maxHeaderSize: o.maxHeaderSize,
      requestTimeout: o.requestTimeout,
      headersTimeout: o.headersTimeout,
      keepAliveTimeout: o.keepAliveTimeout,
      connectionsCheckingInterval: checkingInterval(o),
    })
    const listener = toRequestListener(handler, { trustProxy: o.trustProxy, ...(this.#logger ? { logger: this.#logger } : {}) })
    const drain = new ConnectionDrain(server, o.shutdownIdleGrace)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (!drain.admit(res)) listener(req, res)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
    const address = server.address() as AddressInfo
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
    let closed: Promise<void> | undefined
    return {
      port: address.port,
      host: address.address,
      url: `http://${shownHost}:${address.port}`,
      close: () => {
        closed ??= (async () => {
          const force = setTimeout(() => {
            const cut = drain.cut()
            if (cut.connections > 0) logShutdownCut(this.#logger, 'server/node', { shutdownTimeout: o.shutdownTimeout, ...cut })
          }, o.shutdownTimeout)
          force.unref()
          await drain.close()
          clearTimeout(force)
        })()
        return closed
      },
    }
  }
}
