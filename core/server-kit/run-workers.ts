import cluster from 'node:cluster'
import { consoleLogger, type Logger } from '../slots/logger.js'
import { parseWorkerPoolOptions, type WorkerCount, workerCount, type WorkerPoolOptions } from './worker-options.js'
import { WorkerPool, type WorkerServingMessage } from './worker-pool.js'

/**
 * What `serve` returns in a worker: how to close what it started (an app,
 * or `{ url: server.url, close: () => app.close() }` to have the URL logged).
 *
 * @example
 * const serving: ServingWorker = { url: server.url, close: () => app.close() }
 */
export interface ServingWorker {
  /** Where the worker serves, for the primary's log. */
  url?: string | undefined
  /** The graceful close: stop accepting, finish the requests in flight, stop the components. */
  close(): Promise<void>
}

/**
 * What {@link runWorkers} runs and how it supervises it. The supervision
 * options and their defaults are {@link workerPoolOptions}'s.
 *
 * @example
 * const options: RunWorkersOptions = { workers: 'auto', serve: async () => { const app = await createApp(config); await app.listen(); return app } }
 */
export interface RunWorkersOptions extends Partial<WorkerPoolOptions> {
  /** How many worker processes: a whole number from 1, or `'auto'` (one per CPU this process may use). */
  workers: WorkerCount
  /**
   * Runs in each worker: start the app and listen (the workers share the
   * port), and resolve once serving. A rejection is logged and the worker
   * exits 1. Never called in the primary.
   */
  serve: () => Promise<ServingWorker>
  /**
   * Where the primary logs each worker's start, exit and restart, and where a
   * worker logs a failed start or close. @default consoleLogger() (JSON lines)
   */
  logger?: Logger | undefined
  /** Called in the primary once every worker serves, with the URL the workers reported. @default logs `serving on <url> with <n> workers` */
  onServing?: ((url: string | undefined, workers: number) => void) | undefined
}

/**
 * Serve from several processes sharing one port or socket (node:cluster):
 * call it from an entry that both the primary and its workers run. In the
 * primary it forks the workers, restarts one that dies (with a backoff, and
 * gives up with exit code 1 at a crash loop), and on SIGTERM or SIGINT asks
 * each to close gracefully within `stopTimeout`; in a worker it runs
 * `serve`, and on SIGTERM or SIGINT calls the returned `close()`. Resolves
 * with the code to exit with: 0 after a clean stop.
 *
 * Works with every server component that listens (node, fastcgi, scgi);
 * server/cgi refuses to run in a worker. See docs/server.md#workers.
 *
 * @example
 * import { createApp } from 'dovetailjs'
 * import { runWorkers } from 'dovetailjs/server-kit'
 * import config from './app.js'
 *
 * process.exit(await runWorkers({
 *   workers: 'auto',
 *   serve: async () => {
 *     const app = await createApp(config)
 *     const server = await app.listen()
 *     return { url: server.url, close: () => app.close() }
 *   },
 * }))
 */
export async function runWorkers(options: RunWorkersOptions): Promise<number> {
  const { workers, serve, logger: given, onServing, ...supervision } = options
  const count = workerCount(workers, 'workers')
  const poolOptions = parseWorkerPoolOptions(supervision)
  if (cluster.isWorker) return serveAsWorker(serve, (given ?? consoleLogger()).child({ worker: workerNumber() }))
  const logger = given ?? consoleLogger({ name: 'dovetail/workers' })
  const pool = new WorkerPool(count, poolOptions, logger, (url) => {
    if (onServing) onServing(url, count)
    else logger.info({ url, workers: count }, `serving${url ? ` on ${url}` : ''} with ${count} workers`)
  })
  const stop = (signal: NodeJS.Signals) => pool.stop(signal)
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  try {
    return await pool.done
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
}

/**
 * This process's place in the worker pool (1..N), as the primary numbers it
 * in its logs (a restarted worker keeps its number), or `undefined` outside
 * a worker. Log it under `worker`, as `runWorkers` does, so that the
 * primary's lines and a worker's own lines agree.
 *
 * @example
 * logger.warn({ worker: workerNumber() }, 'this cache is kept by this worker alone')
 */
export const workerNumber = (): number | undefined => (cluster.isWorker ? Number(process.env.DOVETAIL_WORKER) || cluster.worker?.id : undefined)

async function serveAsWorker(serve: () => Promise<ServingWorker>, logger: Logger): Promise<number> {
  let stopAsked!: () => void
  const stopped = new Promise<void>((resolve) => (stopAsked = resolve))
  // Kept installed: a second signal (Ctrl-C reaches the whole process group, then the primary's SIGTERM)
  // must not kill a worker that is finishing its requests; the primary escalates with SIGKILL if need be.
  const onSignal = () => stopAsked()
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
  let serving: ServingWorker
  try {
    serving = await serve()
  } catch (error) {
    logger.error({ pid: process.pid, err: error }, `worker ${workerNumber()} did not start: ${error instanceof Error ? error.message : String(error)}`)
    return letGo(1)
  }
  const message: WorkerServingMessage = { dovetail: 'worker-serving', ...(serving.url !== undefined && { url: serving.url }) }
  process.send?.(message)
  await stopped
  let code = 0
  try {
    await serving.close()
  } catch (error) {
    logger.error({ pid: process.pid, err: error }, `worker ${workerNumber()} failed to close`)
    code = 1
  }
  return letGo(code)
}

/** The IPC channel to the primary keeps a worker alive: let it go, so the worker ends once the app has. */
function letGo(code: number): number {
  cluster.worker?.disconnect()
  return code
}
