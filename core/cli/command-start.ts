import type { ListeningServer } from '../slots/server.js'
import { bootApp } from './boot-app.js'
import type { CliIo } from './io.js'
import { configOptions, configUsage, openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { listenProblem } from './listen-problem.js'
import { chosenWorkers, startWorkers } from './start-workers.js'
import { exitCodes, UsageError } from './usage-error.js'

export const startUsage = `Usage: dovetail start [--config <module>] [--env <name>] [--port <n>] [--host <address>] [--workers <n|auto>]

Build the app from a config (createApp) and serve it with its server
component (app.listen()). Port and host: --port and --host, else the PORT and
HOST variables, else the config's server, else 3000 and 127.0.0.1. Ctrl-C or
SIGTERM lets the requests in flight finish, stops the components and exits.

With workers (--workers, else the config's server.workers), a primary
process forks that many workers sharing the port, restarts one that dies,
stops with 1 at a crash loop, and on Ctrl-C or SIGTERM drains them all.

In production, run the compiled config with NODE_ENV=production:
dovetail start --config dist/app.js (no TypeScript loader needed).

Options:
${configUsage}
  -p, --port <n>         the port to listen on (0: any free port)
      --host <address>   the address to listen on
  -w, --workers <n>      worker processes: a number, or auto for one per CPU
                         (default: the config's server.workers, else 0: none)
  -h, --help             show this help`

/** What a `start` run by `dovetail dev` tells it over the IPC channel: where the app listens. */
export type DevMessage = { type: 'listening'; url: string }

/**
 * `dovetail start`: serve the app until told to stop. Resolves with the exit
 * code once the app is closed. A port already in use, or one that needs
 * privileges, is reported with the fix instead of a stack.
 *
 * @example
 * process.exitCode = await startCommand(['--config', 'dist/app.js'], processIo())
 */
export async function startCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('start', args, {
    ...configOptions,
    port: { type: 'string', short: 'p' },
    host: { type: 'string' },
    workers: { type: 'string', short: 'w' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(startUsage)
    return exitCodes.ok
  }
  if (positionals.length) throw new UsageError(`dovetail start takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  const port = values.port === undefined ? undefined : Number(values.port)
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port ${values.port} is not a port number (0-65535).`)
  const tell = (message: DevMessage) => process.send?.(message)

  const opened = await openConfig(values, io)
  const workers = await chosenWorkers(values.workers, opened)
  if (workers !== 0) return startWorkers(opened, workers, { ...(port !== undefined && { port }), ...(values.host !== undefined && { host: values.host }) }, io)
  const app = await bootApp(opened, io)
  if (!app) return exitCodes.failed
  let server: ListeningServer
  try {
    server = await app.listen({ ...(port !== undefined && { port }), ...(values.host !== undefined && { host: values.host }) })
  } catch (error) {
    await app.close().catch(() => {})
    io.err(listenProblem(error))
    return exitCodes.failed
  }
  // Under dovetail dev (an IPC channel), the front server's address is the one to print, not this one.
  if (process.send) tell({ type: 'listening', url: server.url })
  else io.out(`${opened.shown}: serving on ${server.url} (environment ${app.environment}; Ctrl-C to stop)`)
  await stopSignal()
  await app.close()
  return exitCodes.ok
}

/** Resolves at the first SIGINT or SIGTERM (or a disconnect from `dovetail dev`); a second one stops at once. */
function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(exitCodes.failed))
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
    process.once('disconnect', stop)
  })
}

export { listenProblem }
