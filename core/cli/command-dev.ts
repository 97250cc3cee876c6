import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { type FSWatcher, watch } from 'node:fs'
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http'
import { dirname, extname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DevMessage } from './command-start.js'
import { listenProblem } from './command-start.js'
import type { CliIo } from './io.js'
import { parseOptions } from './parse-options.js'
import { exitCodes, UsageError } from './usage-error.js'

export const devUsage = `Usage: dovetail dev [--config <module>] [--port <n>] [--host <address>]

Serve the app for development (environment development), restarted when its
code or config changes: a .ts, .js or .json file under the config's folder
(node_modules, dist, data and dot-folders aside). Templates and static files
are read at each request in development, so a change to them shows at the
next request, without a restart. Requests that arrive during a restart wait
for it. A session secret is made once and kept across restarts (the
SESSION_SECRET variable, unless you set it), so a restart signs nobody out.
If the app fails to start (a syntax error, a config createApp refuses), the
error is printed and every page shows it until the next change.

Options:
  -c, --config <module>  the module whose default export is the config  (default: app.ts)
  -p, --port <n>         the port to listen on  (default: PORT, else 3000)
      --host <address>   the address to listen on  (default: HOST, else 127.0.0.1)
  -h, --help             show this help`

/** How long a stopping app may take to finish its requests before it is killed. */
const stopTimeoutMs = 5_000
/** Changes closer together than this are one change (an editor writes a file in several steps). */
const settleMs = 100
/** The most of the app's error output kept for the error page. */
const keptErrorOutput = 64 * 1024

type AppState = { kind: 'listening'; port: number } | { kind: 'failed'; output: string }

/**
 * `dovetail dev`: a front server on the port that passes requests to the app
 * run as a child process (`dovetail start` on a free port), and restarts that
 * child when code or config changes. The front server owns the port, so the
 * address never goes away during a restart and can show a start failure.
 *
 * @example
 * await devCommand(['--port', '3000'], processIo())
 */
export async function devCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('dev', args, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(devUsage)
    return exitCodes.ok
  }
  if (positionals.length) throw new UsageError(`dovetail dev takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  const port = Number(values.port ?? process.env.PORT ?? 3000)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port ${values.port ?? process.env.PORT} is not a port number (0-65535).`)
  const host = values.host ?? (process.env.HOST || '127.0.0.1')
  const shown = values.config ?? 'app.ts'
  const file = resolve(io.cwd ?? process.cwd(), shown)
  const root = dirname(file)

  const app = new AppProcess(file, root, io, {
    // Made once per dev session, so that every restart signs sessions with the same key.
    SESSION_SECRET: process.env.SESSION_SECRET || randomBytes(48).toString('base64url'),
    NODE_ENV: 'development',
  })
  const front = createServer((req, res) => void app.handle(req, res))
  try {
    await new Promise<void>((done, fail) => {
      front.once('error', fail)
      front.listen(port, host, () => {
        front.off('error', fail)
        done()
      })
    })
  } catch (error) {
    io.err(listenProblem(error))
    return exitCodes.failed
  }
  const address = front.address() as { port: number }
  io.out(`dovetail dev: ${shown} on http://${host.includes(':') ? `[${host}]` : host}:${address.port} (restarts when code or config changes; Ctrl-C to stop)`)
  app.start()

  let timer: NodeJS.Timeout | undefined
  const changed = new Set<string>()
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, name) => {
    if (!name || !restartsFor(name.toString())) return
    changed.add(name.toString())
    clearTimeout(timer)
    timer = setTimeout(() => {
      io.out(`dovetail dev: ${[...changed].join(', ')} changed: restarting`)
      changed.clear()
      void app.restart()
    }, settleMs)
  })

  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  clearTimeout(timer)
  watcher.close()
  front.close()
  front.closeAllConnections()
  await app.restarts
  await app.stop()
  return exitCodes.ok
}

/** Whether a change to this file (relative to the project) means a restart: code and config, outside what is generated or installed. */
export function restartsFor(name: string): boolean {
  const parts = name.split(/[\\/]/)
  if (parts.some((part) => part === 'node_modules' || part === 'dist' || part === 'data' || part === 'coverage' || (part.startsWith('.') && part.length > 1))) return false
  return /^\.(?:[cm]?[jt]sx?|json)$/.test(extname(name)) && !name.endsWith('.d.ts')
}

/** The app as a child process: started, restarted, stopped, and the requests passed to it. */
class AppProcess {
  #child: ChildProcess | undefined
  #state!: Promise<AppState>
  /** Restarts one after the other: two at once would each start an app. */
  #restarts: Promise<void> = Promise.resolve()
  readonly #bin = fileURLToPath(new URL(`./bin${extname(fileURLToPath(import.meta.url))}`, import.meta.url))

  constructor(
    readonly file: string,
    readonly root: string,
    readonly io: CliIo,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  start(): void {
    this.#state = this.#launch()
  }

  /** Stop the app and start it again; requests that come meanwhile wait for the new one. */
  restart(): Promise<void> {
    let next!: (state: Promise<AppState>) => void
    this.#state = new Promise<AppState>((settle) => (next = settle))
    this.#restarts = this.#restarts.then(async () => {
      await this.stop()
      next(this.#launch())
    })
    return this.#restarts
  }

  #launch(): Promise<AppState> {
    // --workers 0: one process whatever server.workers says; dev restarts it whole on a change and reads its URL over IPC.
    const child = spawn(process.execPath, [...process.execArgv, this.#bin, 'start', '--config', this.file, '--port', '0', '--host', '127.0.0.1', '--workers', '0'], {
      cwd: this.root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    })
    this.#child = child
    let errors = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk)
      errors = (errors + chunk.toString()).slice(-keptErrorOutput)
    })
    return new Promise<AppState>((settle) => {
      child.on('message', (message: DevMessage) => {
        if (message.type === 'listening') settle({ kind: 'listening', port: Number(new URL(message.url).port) })
      })
      child.once('exit', (code, signal) => {
        if (this.#child === child) this.io.err(`dovetail dev: the app stopped (${signal ?? `exit code ${code}`}); fix what is printed above and save: it restarts at the next change.`)
        settle({ kind: 'failed', output: errors || `The app stopped (${signal ?? `exit code ${code}`}) before it listened.` })
      })
    })
  }

  /** Settles once no restart is under way. */
  get restarts(): Promise<void> {
    return this.#restarts
  }

  /** Stop the app: SIGTERM lets its requests finish; after a while, SIGKILL. */
  async stop(): Promise<void> {
    const child = this.#child
    this.#child = undefined
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((done) => child.once('exit', () => done()))
    child.kill('SIGTERM')
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
    await exited
    clearTimeout(timer)
  }

  /** Pass a request to the app once it listens; while it cannot start, answer with why. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const state = await this.#state
    if (state.kind === 'failed') {
      res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      res.end(errorPage(state.output, relative(this.root, this.file) || this.file))
      return
    }
    const upstream = request({ host: '127.0.0.1', port: state.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders)
      answer.pipe(res)
    })
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy()
      else {
        res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
        res.end(`dovetail dev: the app dropped the request (${error.message}); it may be restarting: reload.\n`)
      }
    })
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy()
    })
    req.pipe(upstream)
  }
}

/** The page every request gets while the app cannot start: the error output, without terminal colours. */
function errorPage(output: string, config: string): string {
  const text = output.replace(/\u001b\[[0-9;]*m/g, '')
  const escaped = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>The app did not start</title></head>
<body>
<h1>The app did not start</h1>
<p>dovetail dev runs ${config.replace(/[&<>"]/g, '')}; it printed this. Fix it and save: the app restarts by itself.</p>
<pre>${escaped}</pre>
</body></html>
`
}
