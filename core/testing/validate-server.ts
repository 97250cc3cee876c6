import type { FetchHandler } from '../gateway/fetch-handler.js'
import type { ListeningServer, Server } from '../slots/server.js'
import { BreachLog, type BreachOptions, type BreachRecord } from './breach-log.js'
import { describeValue } from './describe-value.js'
import { ExchangeTracker } from './exchange-tracker.js'

/** What a start function resolves with: at least where it listens and how to close it. */
export interface StartedServer {
  /** The base URL clients use (`http://127.0.0.1:8080`), or the adapter's own address (`unix:/run/app.sock`). */
  url: string
  /** Stop accepting, let requests in flight finish, then resolve. */
  close(): Promise<void>
}

/** A function that puts a fetch handler behind an adapter (and whatever is in front of it). */
export type ServerStart<A extends unknown[] = [], L extends StartedServer = StartedServer> = (handler: FetchHandler, ...args: A) => Promise<L>

// Captured when the core loads, before a host can replace the global (as @hono/node-server does).
const NativeRequest = globalThis.Request

/**
 * Wrap a server adapter so that it checks the server's side of the gateway
 * contract, the counterpart of {@link validateApp}. Give it a `Server` (the
 * server slot's contract: `listen(handler, { port, host })`) or a start
 * function `(handler, ...args) => Promise<{ url, close() }>` such as the
 * server kit's. A breach is a {@link GatewayContractError} with `side: 'server'`:
 *
 * - `not-a-request`: the handler was called with something that is not a `Request`;
 * - `request-url`: a request URL that is not absolute http(s) with a host;
 * - `listen-result`: `listen()` (or the start function) resolved without a
 *   URL and a `close()` (for a `Server`: also a port and a host);
 * - `handler-after-close`: the handler was called after `close()` resolved;
 * - `close-before-finish`: `close()` resolved while a request was still in the
 *   handler, or its response body was neither read to the end nor cancelled,
 *   and the server had not aborted its `request.signal`.
 *
 * Breaches found in the handler's path throw there (the server sees a failing
 * handler) unless `onBreach: 'record'`; those found when `close()` resolves
 * are recorded, for `assertNoBreaches()`.
 *
 * @example
 * import { validateServer } from 'dovetailjs/testing'
 *
 * const server = validateServer(new MyServer(options))
 * const listening = await server.listen(app.fetch, { port: 0, host: '127.0.0.1' })
 * // ... send requests, then:
 * await listening.close()
 * server.assertNoBreaches()
 */
export function validateServer(server: Server, options?: BreachOptions): Server & BreachRecord
export function validateServer<A extends unknown[], L extends StartedServer>(start: ServerStart<A, L>, options?: BreachOptions): ServerStart<A, L> & BreachRecord
export function validateServer(target: Server | ServerStart<unknown[]>, options: BreachOptions = {}): (Server | ServerStart<unknown[]>) & BreachRecord {
  const log = new BreachLog('server', options)
  const record: BreachRecord = { breaches: log.breaches, assertNoBreaches: () => log.assertNoBreaches() }
  if (typeof target === 'function') {
    const start: ServerStart<unknown[]> = async (handler, ...args) => {
      const watch = new ServerWatch(log, 'the start function')
      return watch.started(await target(watch.handler(handler), ...args))
    }
    return Object.assign(start, record)
  }
  const name = target.constructor?.name ?? 'the server'
  return Object.assign(
    {
      async listen(handler: FetchHandler, listenOptions: Parameters<Server['listen']>[1]): Promise<ListeningServer> {
        const watch = new ServerWatch(log, `${name}.listen()`)
        return watch.started(await target.listen(watch.handler(handler), listenOptions), true)
      },
    },
    record,
  )
}

/** One listen() or start: the handler the server calls, and the handle it returned. */
class ServerWatch {
  readonly #log: BreachLog
  readonly #source: string
  readonly #exchanges = new ExchangeTracker()
  #closed = false

  constructor(log: BreachLog, source: string) {
    this.#log = log
    this.#source = source
  }

  handler(handler: FetchHandler): FetchHandler {
    return async (request) => {
      if (!((request as unknown) instanceof Request) && !((request as unknown) instanceof NativeRequest)) {
        this.#log.raise('not-a-request', `${this.#source}: the handler was called with ${describeValue(request)}, not a Request. Build a fetch Request (new Request(url, init)) for each request.`)
      }
      // Read defensively: in 'record' mode a non-request goes on to the handler.
      const where = `${String(request?.method)} ${String(request?.url)}`
      if (this.#closed) {
        this.#log.raise('handler-after-close', `${this.#source}: ${where} reached the handler after close() had resolved. close() must stop accepting, finish what is in flight, and only then resolve.`)
      }
      checkUrl(String(request?.url), this.#log, this.#source)
      const done = this.#exchanges.begin(request, where)
      let response: Response | undefined
      try {
        response = await handler(request)
        return response
      } finally {
        done(response)
      }
    }
  }

  started<L>(handle: L, isServer = false): L {
    const h = handle as Partial<ListeningServer> | undefined
    const missing = [
      typeof h?.url === 'string' && canParse(h.url) ? undefined : 'a url',
      typeof h?.close === 'function' ? undefined : 'a close() function',
      ...(isServer ? [typeof h?.port === 'number' ? undefined : 'a numeric port', typeof h?.host === 'string' ? undefined : 'a host'] : []),
    ].filter((m): m is string => m !== undefined)
    if (missing.length) {
      this.#log.raise('listen-result', `${this.#source} resolved with ${describeValue(handle)}, which lacks ${missing.join(', ')}. Resolve with { url, close()${isServer ? ', port, host' : ''} } once it listens.`)
      return handle
    }
    const close = h!.close!.bind(h)
    let closing: Promise<void> | undefined
    // Wrapped in place: the handle may be a class instance whose other members the caller uses.
    Object.defineProperty(handle, 'close', {
      configurable: true,
      writable: true,
      value: () =>
        (closing ??= close().then(() => {
          this.#closed = true
          const left = this.#exchanges.unfinished()
          if (left.length) {
            this.#log.note(
              'close-before-finish',
              `${this.#source}: close() resolved while ${left.length} request(s) were unfinished: ${left.join('; ')}. ` +
                'close() must let requests in flight finish (or cut them and abort their request.signal) before it resolves.',
            )
          }
        })),
    })
    return handle
  }
}

function checkUrl(url: string, log: BreachLog, source: string): void {
  let parsed: URL | undefined
  try {
    parsed = new URL(url)
  } catch {
    // reported below
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || !parsed.host) {
    log.raise('request-url', `${source}: the request URL '${url}' is not an absolute http(s) URL with a host. Build it from the scheme, the Host header (or SERVER_NAME and SERVER_PORT) and the request target.`)
  }
}

function canParse(url: string): boolean {
  try {
    new URL(url)
    return true
  } catch {
    return false
  }
}
