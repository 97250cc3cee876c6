import { createConnection, createServer, type Server, type Socket } from 'node:net'

/**
 * What the proxy does with traffic:
 * - `pass`: forwards both ways, as if it were not there.
 * - `refuse`: new connections are reset at once; open ones keep working. A
 *   stopped server whose port is closed looks like this.
 * - `blackhole`: new connections are accepted and never answered, and open ones
 *   stop forwarding in both directions. A host that vanished from the network,
 *   or a server frozen under load, looks like this: only timeouts notice.
 *   Bytes sent meanwhile are dropped, so `cut()` before going back to `pass`.
 */
export type FaultMode = 'pass' | 'refuse' | 'blackhole'

/**
 * A TCP proxy in front of a real service (PostgreSQL, MariaDB, Redis) that a
 * test can break and mend. The suites share the machine's services with each
 * other, so outages are made here, on the test's own path to the service, and
 * never by stopping the service itself.
 *
 * Hand-written rather than toxiproxy: that is a Go binary, and these three
 * faults plus `cut()` are all the outage tests need.
 *
 * @example
 * const proxy = await faultProxy(services.postgres)
 * // point the app at `postgresql://postgres@127.0.0.1:${proxy.port}/test`
 * proxy.setMode('refuse'); proxy.cut() // the database "stops"
 * proxy.setMode('pass')                // and comes back
 */
export interface FaultProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number
  /** Client connections open through the proxy now. */
  readonly openConnections: number
  setMode(mode: FaultMode): void
  /** Resets every open connection, as a server crash does. */
  cut(): void
  close(): Promise<void>
}

export async function faultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let mode: FaultMode = 'pass'
  const pairs = new Set<{ client: Socket; upstream: Socket | undefined }>()

  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      client.resetAndDestroy()
      return
    }
    const pair: { client: Socket; upstream: Socket | undefined } = { client, upstream: undefined }
    pairs.add(pair)
    const forget = () => {
      pairs.delete(pair)
      client.destroy()
      pair.upstream?.destroy()
    }
    client.on('error', forget)
    client.on('close', forget)
    if (mode === 'blackhole') return
    const upstream = createConnection(target)
    pair.upstream = upstream
    upstream.on('error', () => client.resetAndDestroy())
    upstream.on('close', forget)
    // Data flows only in pass mode, so blackholing an open connection freezes it.
    client.on('data', (chunk) => {
      if (mode !== 'blackhole') upstream.write(chunk)
    })
    upstream.on('data', (chunk) => {
      if (mode !== 'blackhole') client.write(chunk)
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('fault proxy: no TCP address')

  const cut = () => {
    for (const pair of pairs) {
      pair.client.resetAndDestroy()
      pair.upstream?.resetAndDestroy()
    }
    pairs.clear()
  }
  return {
    port: address.port,
    get openConnections() {
      return pairs.size
    },
    setMode(next) {
      mode = next
    },
    cut,
    close() {
      cut()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
