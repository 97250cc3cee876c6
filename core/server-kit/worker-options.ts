import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { WorkersOptions } from '../errors/codes.js'

/**
 * How many worker processes: a whole number from 1, or `'auto'` for one per
 * CPU this process may use (`os.availableParallelism()`).
 *
 * @example
 * const count: WorkerCount = 'auto'
 */
export type WorkerCount = number | 'auto'

/** What the first restart of a crashed worker waits, in ms; each further crash in the window doubles it. */
export const defaultRestartDelay = 100
/** The longest a restart waits, in ms, however many crashes came before. */
export const defaultMaxRestartDelay = 10_000
/** This many unexpected worker exits within {@link defaultCrashLoopWindow} is a crash loop: the pool stops. */
export const defaultCrashLoopExits = 5
/** The window, in ms, in which {@link defaultCrashLoopExits} exits count as a crash loop. */
export const defaultCrashLoopWindow = 60_000
/**
 * How long the primary waits for every worker to close after SIGTERM or
 * SIGINT, in ms, before it kills the rest with SIGKILL. Longer than the
 * servers' own `shutdownTimeout` (10 s), so each worker's graceful close
 * (which cuts its connections at that point) and its components' stop fit.
 */
export const defaultStopTimeout = 30_000

// setTimeout fires at once for anything larger.
const longestTimer = 2 ** 31 - 1
const ms = (min: number) => z.number().int().min(min).max(longestTimer)

/**
 * The supervision options of {@link runWorkers}, with their defaults: what the
 * limits table in docs/security.md is checked against.
 *
 * @example
 * workerPoolOptions.parse({}) // { restartDelay: 100, maxRestartDelay: 10000, crashLoopExits: 5, crashLoopWindow: 60000, stopTimeout: 30000 }
 */
export const workerPoolOptions = z.strictObject({
  /** First wait before a crashed worker is restarted, in ms; doubled for each further exit within crashLoopWindow. @default 100 */
  restartDelay: ms(0).default(defaultRestartDelay),
  /** The longest wait before a restart, in ms. @default 10000 */
  maxRestartDelay: ms(0).default(defaultMaxRestartDelay),
  /** Unexpected exits within crashLoopWindow that make a crash loop: the primary stops every worker and exits 1. @default 5 */
  crashLoopExits: z.number().int().min(1).default(defaultCrashLoopExits),
  /** The window for crashLoopExits, in ms. @default 60000 */
  crashLoopWindow: ms(1).default(defaultCrashLoopWindow),
  /** After SIGTERM or SIGINT, how long every worker has to close before the rest are killed, in ms. @default 30000 */
  stopTimeout: ms(1).default(defaultStopTimeout),
})

/** {@link workerPoolOptions} after parsing: defaults filled in. */
export type WorkerPoolOptions = z.output<typeof workerPoolOptions>

/**
 * A worker count as a number of processes: `'auto'` becomes the CPUs this
 * process may use. Anything but a whole number from 1 or `'auto'` throws
 * `DOVETAIL_ERR_WORKERS_OPTIONS`, naming `where` it came from.
 *
 * @example
 * workerCount(4, 'server.workers')      // 4
 * workerCount('auto', '--workers')      // 2 on a 2-core machine
 * workerCount(0, 'server.workers')      // throws: give a whole number from 1, or 'auto'
 */
export function workerCount(value: unknown, where: string): number {
  if (value === 'auto') return availableParallelism()
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw WorkersOptions(`${where} is ${JSON.stringify(value)}; give a whole number of worker processes from 1, or 'auto' (one per CPU: ${availableParallelism()} here).`)
}

/**
 * {@link workerPoolOptions} checked: a bad value throws
 * `DOVETAIL_ERR_WORKERS_OPTIONS` naming the option and what it takes.
 *
 * @example
 * parseWorkerPoolOptions({ crashLoopExits: 3 }).crashLoopWindow // 60000
 */
export function parseWorkerPoolOptions(options: unknown): WorkerPoolOptions {
  const parsed = workerPoolOptions.safeParse(options)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || 'options'}: ${issue.message}`).join('\n')
  throw WorkersOptions(`runWorkers() was given invalid options:\n${problems}\n`)
}
