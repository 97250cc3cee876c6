import type { ListeningServer } from '../slots/server.js'
import { bootApp } from './boot-app.js'
import type { CliIo } from './io.js'
import { configOptions, configUsage, openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { problemLine } from './problem-line.js'
import { exitCodes, UsageError } from './usage-error.js'

export const startUsage = `Usage: dovetail start [--config <module>] [--env <name>] [--port <n>] [--host <address>]

Build the app from a config (createApp) and serve it with its server
component (app.listen()). Port and host: --port and --host, else the PORT and
HOST variables, else the config's server, else 3000 and 127.0.0.1. Ctrl-C or
SIGTERM lets the requests in flight finish, stops the components and exits.

In production, run the compiled config with NODE_ENV=production:
dovetail start --config dist/app.js (no TypeScript loader needed).

Options:
${configUsage}
  -p, --port <n>         the port to listen on (0: any free port)
      --host <address>   the address to listen on
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

/**
 * A listen failure said with its fix: a port in use (the commonest, when an
 * earlier start still runs), a port that needs privileges, an address not on
 * this machine; anything else as its message.
 *
 * @example
 * listenProblem(Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port: 3000, address: '127.0.0.1' }))
 * // 'Port 3000 on 127.0.0.1 is already in use: …'
 */
export function listenProblem(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { port?: number; address?: string }
  const where = `${e.port !== undefined ? `port ${e.port}` : 'the address'}${e.address ? ` on ${e.address}` : ''}`
  switch (e.code) {
    case 'EADDRINUSE':
      return (
        `${capitalize(where)} is already in use: another process listens there (an app still running? \`lsof -i :${e.port ?? '<port>'}\` names it). ` +
        `Stop it, or listen on another port: --port ${e.port === undefined ? '<n>' : e.port + 1}, or PORT=${e.port === undefined ? '<n>' : e.port + 1}.`
      )
    case 'EACCES':
      return `${capitalize(where)} needs privileges this process does not have (ports below 1024 do). Listen on a port above 1024 (--port 3000) and put a proxy in front, or grant the capability (setcap cap_net_bind_service).`
    case 'EADDRNOTAVAIL':
      return `${e.address ?? 'The address'} is not an address of this machine. Listen on one it has: --host 127.0.0.1, or --host 0.0.0.0 for every interface.`
    default:
      return `Could not listen: ${problemLine(error)}`
  }
}

const capitalize = (text: string) => text[0]!.toUpperCase() + text.slice(1)
