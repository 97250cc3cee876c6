import { createApp } from '../app/create-app.js'
import { resolveConfig } from '../config/resolve-config.js'
import type { WorkersSetting } from '../config/define-config.js'
import { runWorkers } from '../server-kit/run-workers.js'
import { consoleLogger } from '../slots/logger.js'
import type { CliIo } from './io.js'
import type { OpenedConfig } from './open-config.js'
import { listenProblem } from './listen-problem.js'
import { problemLine } from './problem-line.js'
import { UsageError } from './usage-error.js'

/**
 * How many workers `dovetail start` forks: `--workers` when given, else the
 * config's `server.workers` (after its environment's layer), else 0 (none).
 * A config that does not resolve gives 0 here: the boot that follows says
 * what is wrong with it, in the words every command uses.
 *
 * @example
 * await chosenWorkers('auto', opened) // 'auto'
 * await chosenWorkers(undefined, opened) // the config's server.workers, or 0
 */
export async function chosenWorkers(flag: string | undefined, opened: OpenedConfig): Promise<WorkersSetting> {
  if (flag !== undefined) {
    if (flag === 'auto') return flag
    const count = Number(flag)
    if (!/^\d+$/.test(flag) || !Number.isSafeInteger(count)) {
      throw new UsageError(`--workers ${flag} is not a number of worker processes: give a whole number (0: none, serve from this process), or auto for one per CPU.`)
    }
    return count
  }
  return (await resolved(opened))?.server.workers ?? 0
}

const resolved = (opened: OpenedConfig) => resolveConfig(opened.config).catch(() => undefined)

/**
 * `dovetail start` with worker processes: the same command runs in the
 * primary and in each worker (node:cluster forks it with the same
 * arguments); {@link runWorkers} tells them apart. Each worker builds the app
 * and listens on the shared port; the primary prints the URL once all serve,
 * logs each worker's start, exit and restart, and drains them on Ctrl-C or
 * SIGTERM. Resolves with the exit code.
 *
 * @example
 * return startWorkers(opened, 2, { port: 3000 }, io)
 */
export async function startWorkers(opened: OpenedConfig, workers: WorkersSetting, listen: { port?: number; host?: string }, io: CliIo): Promise<number> {
  const environment = (await resolved(opened))?.environment
  return runWorkers({
    workers,
    logger: consoleLogger({ name: 'dovetail/workers' }),
    serve: async () => {
      let app
      try {
        app = await createApp(opened.config)
      } catch (error) {
        throw new Error(`${opened.shown}: the app did not start: ${problemLine(error)}`, { cause: error })
      }
      try {
        const server = await app.listen(listen)
        return { url: server.url, close: () => app.close() }
      } catch (error) {
        await app.close().catch(() => {})
        throw new Error(listenProblem(error), { cause: error })
      }
    },
    onServing: (url, count) => io.out(`${opened.shown}: serving on ${url} with ${count} workers (environment ${environment}; Ctrl-C to stop)`),
  })
}
