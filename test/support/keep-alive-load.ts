import { Agent, request } from 'node:http'

/** What a {@link keepAliveLoad} saw, request by request. */
export interface LoadTally {
  /** Requests written to a connection (refused connections are not counted: nothing was sent). */
  sent: number
  /** Responses read to their end, by status. */
  statuses: Record<number, number>
  /** Responses that carried `Connection: close`. */
  connectionClose: number
  /** Requests that failed, by error code: ECONNRESET (a reset, or "socket hang up": closed before the response), EPIPE, ... */
  errors: Record<string, number>
  /** Connections refused (ECONNREFUSED): the server had stopped listening before the request was sent. */
  refused: number
  /** With `answeredBy`: failed requests by the header value their connection last saw (`unanswered`: none yet). */
  errorsBy: Record<string, number>
}

export interface LoadOptions {
  /** Keep-alive connections, each with one request at a time. */
  connections: number
  /** Paths requested in turn on each connection. */
  paths: string[]
  /**
   * A response header naming who answered (a worker's pid): each connection
   * remembers the last value it saw, so {@link LoadControl.connections} says
   * which connections a worker holds and {@link LoadTally.errorsBy} whose
   * connections failed.
   */
  answeredBy?: string
}

/** One connection of a running load, as {@link LoadControl.connections} shows it. */
export interface LoadConnection {
  /** The `answeredBy` header of its last response (undefined before the first). */
  answeredBy: string | undefined
  /** A request is on the connection, its response not yet ended. */
  busy: boolean
}

/** What {@link keepAliveLoad} returns. */
export interface LoadControl {
  /** Resolves once every connection has had a response. */
  warmed: Promise<void>
  /** Resolves with the tally once every connection has stopped. */
  done: Promise<LoadTally>
  /** Each connection now (a copy). */
  connections(): LoadConnection[]
  /** Make each connection stop after its current request. */
  stop(): void
}

/**
 * Keep `connections` keep-alive connections busy against `url`, each sending
 * its next request as soon as the last response ended, as a busy reverse proxy
 * does, until the server says `Connection: close` (it is going away) or a
 * request fails. `warmed` resolves once every connection has had a response,
 * `done` with the tally once every connection has stopped.
 *
 * @example
 * const load = keepAliveLoad(url, { connections: 32, paths: ['/'] })
 * await load.warmed
 * child.kill('SIGTERM')
 * expect((await load.done).errors).toEqual({})
 */
export function keepAliveLoad(url: string, options: LoadOptions): LoadControl {
  const tally: LoadTally = { sent: 0, statuses: {}, connectionClose: 0, errors: {}, refused: 0, errorsBy: {} }
  let warm = 0
  let onWarm!: () => void
  const warmed = new Promise<void>((resolve) => (onWarm = resolve))
  const states: LoadConnection[] = Array.from({ length: options.connections }, () => ({ answeredBy: undefined, busy: false }))
  let stopped = false

  async function connection(index: number): Promise<void> {
    // One socket per agent: each loop is one keep-alive connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const state = states[index]!
    let first = true
    try {
      for (let i = index; !stopped; i++) {
        state.busy = true
        const outcome = await get(`${url}${options.paths[i % options.paths.length]}`, agent, tally, options.answeredBy)
        state.busy = false
        if ('error' in outcome) {
          if (options.answeredBy) tally.errorsBy[state.answeredBy ?? 'unanswered'] = (tally.errorsBy[state.answeredBy ?? 'unanswered'] ?? 0) + 1
          return
        }
        // A 503 from a closing server names nobody: keep who held the connection.
        if (outcome.answeredBy !== undefined) state.answeredBy = outcome.answeredBy
        if (first) {
          first = false
          if (++warm === options.connections) onWarm()
        }
        if (outcome.close) return
      }
    } finally {
      agent.destroy()
    }
  }

  const done = Promise.all(Array.from({ length: options.connections }, (_, i) => connection(i))).then(() => tally)
  return { warmed, done, connections: () => states.map((s) => ({ ...s })), stop: () => void (stopped = true) }
}

function get(url: string, agent: Agent, tally: LoadTally, answeredBy: string | undefined): Promise<{ status: number; close: boolean; answeredBy?: string } | { error: string }> {
  return new Promise((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const code = error.code ?? error.message
      if (code === 'ECONNREFUSED') tally.refused++
      else tally.errors[code] = (tally.errors[code] ?? 0) + 1
      resolve({ error: code })
    }
    const req = request(url, { agent }, (res) => {
      res.resume()
      res.once('error', failed)
      res.once('end', () => {
        const status = res.statusCode!
        tally.statuses[status] = (tally.statuses[status] ?? 0) + 1
        const close = /close/i.test(String(res.headers.connection))
        if (close) tally.connectionClose++
        const by = answeredBy ? res.headers[answeredBy.toLowerCase()] : undefined
        resolve({ status, close, ...(typeof by === 'string' && { answeredBy: by }) })
      })
    })
    req.once('error', failed)
    // Counted once the request is on a connection: a refused connection sent nothing.
    req.once('socket', (socket) => {
      if (socket.connecting) socket.once('connect', () => tally.sent++)
      else tally.sent++
    })
    req.end()
  })
}
