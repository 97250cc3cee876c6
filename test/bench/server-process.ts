import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import type { ReadyLine } from './bench-routes.js'
import type { CompiledBench } from './compile.js'

export interface BenchServer {
  /** The label in the table. */
  name: string
  /** The script under test/bench/servers/, and its arguments. */
  script: string
  args?: readonly string[]
  /** Dovetail servers also answer the routes marked `dovetailOnly`. */
  dovetail: boolean
}

export const benchServers: readonly BenchServer[] = [
  { name: 'raw node:http', script: 'raw-node.ts', dovetail: false },
  { name: 'dovetail (awilix)', script: 'dovetail.ts', args: ['awilix'], dovetail: true },
  { name: 'dovetail (inversify)', script: 'dovetail.ts', args: ['inversify'], dovetail: true },
  { name: 'hono (node-server)', script: 'hono.ts', dovetail: false },
  { name: 'fastify 5', script: 'fastify.ts', dovetail: false },
]

export interface RunningServer {
  pid: number
  url: string
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
// A benchmark interrupted by Ctrl-C or an error must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * Start one server in its own process (plain node on the compiled scripts,
 * NODE_ENV production, plus `env`) and wait for the port it prints. With `cpuProfileDir`,
 * node samples every 100 µs and writes a `.cpuprofile` there when the server stops.
 */
export async function startServer(
  server: BenchServer,
  compiled: CompiledBench,
  options: { cpuProfileDir?: string; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const script = compiled.script(`servers/${server.script}`)
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', options.cpuProfileDir] : []
  const child = spawn(process.execPath, [...profile, script, ...(server.args ?? [])], {
    cwd: compiled.dir,
    env: { ...process.env, ...options.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  running.add(child)
  const lines = createInterface({ input: child.stdout! })
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`Benchmark server ${server.name} exited with code ${code} before it listened.`)
  })
  const ready = (async () => {
    for await (const line of lines) {
      // Servers with a logger print log lines too; the ready line is the one with a port.
      let parsed: Partial<ReadyLine> | undefined
      try {
        parsed = JSON.parse(line) as Partial<ReadyLine>
      } catch {
        continue
      }
      if (typeof parsed?.port === 'number' && parsed.port > 0) return parsed.port
    }
    throw new Error(`Benchmark server ${server.name} closed its output without printing its port.`)
  })()
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`Benchmark server ${server.name} did not listen within 30 s.`)), 30_000).unref(),
  )
  let port: number
  try {
    port = await Promise.race([ready, exited, timeout])
  } catch (error) {
    child.kill('SIGKILL')
    running.delete(child)
    throw error
  }
  exited.catch(() => {})
  // Keep reading what the server logs (a request log writes a line per request): a full pipe would stall it.
  lines.close()
  child.stdout!.on('data', () => {})
  child.stdout!.resume()
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = once(child, 'exit')
        child.kill('SIGTERM')
        await gone
      }
      running.delete(child)
    },
  }
}
