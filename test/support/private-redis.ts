import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createConnection } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { binaryPath } from './binaries.js'
import { freePort } from './front-servers.js'

/**
 * A Redis server of the test's own, on a free port, that the test may stop,
 * start again and freeze: real outages, which the shared Redis on 6379 must
 * never suffer. Its data survives a stop (append-only file, synced on every
 * write), as a production Redis's would.
 *
 * @example
 * const redis = await privateRedis()
 * await redis.stop()   // the server is gone: connections refused
 * await redis.start()  // back, with its data
 * redis.freeze()       // SIGSTOP: connections open, nothing answered
 */
export interface PrivateRedis {
  readonly port: number
  readonly url: string
  stop(): Promise<void>
  start(): Promise<void>
  freeze(): void
  thaw(): void
  close(): Promise<void>
}

export async function privateRedis(): Promise<PrivateRedis> {
  const program = binaryPath('redis-server')
  if (!program) throw new Error('redis-server is not installed (apt-get install -y redis-server)')
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-redis-'))
  const port = await freePort()
  let child: ChildProcess | undefined

  const start = async () => {
    child = spawn(program, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], {
      stdio: 'ignore',
    })
    await waitForPort(port, 10_000)
  }
  const stop = async () => {
    const running = child
    child = undefined
    if (!running || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGCONT') // a frozen server can't act on SIGTERM
    running.kill('SIGTERM')
    await exited
  }
  await start()
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    freeze: () => void child?.kill('SIGSTOP'),
    thaw: () => void child?.kill('SIGCONT'),
    async close() {
      await stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}


async function waitForPort(port: number, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port })
      socket.once('connect', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`redis-server did not listen on port ${port} within ${ms} ms`)
}
