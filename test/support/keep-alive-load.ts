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
}

export interface LoadOptions {
  /** Keep-alive connections, each with one request at a time. */
  connections: number
  /** Paths requested in turn on each connection. */
  paths: string[]
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
export function keepAliveLoad(url: string, options: LoadOptions): { warmed: Promise<void>; done: Promise<LoadTally> } {
  const tally: LoadTally = { sent: 0, statuses: {}, connectionClose: 0, errors: {}, refused: 0 }
  let warm = 0
  let onWarm!: () => void
  const warmed = new Promise<void>((resolve) => (onWarm = resolve))

  async function connection(index: number): Promise<void> {
    // One socket per agent: each loop is one keep-alive connection.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    let first = true
    try {
      for (let i = index; ; i++) {
        const outcome = await get(`${url}${options.paths[i % options.paths.length]}`, agent, tally)
        if (first && 'status' in outcome) {
          first = false
          if (++warm === options.connections) onWarm()
        }
        if ('error' in outcome || outcome.close) return
      }
    } finally {
      agent.destroy()
    }
  }

  const done = Promise.all(Array.from({ length: options.connections }, (_, i) => connection(i))).then(() => tally)
  return { warmed, done }
}

function get(url: string, agent: Agent, tally: LoadTally): Promise<{ status: number; close: boolean } | { error: string }> {
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
        resolve({ status, close })
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
