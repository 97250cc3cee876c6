import cluster, { type Worker } from 'node:cluster'
import { WorkersCrashLoop, WorkersStart } from '../errors/codes.js'
import type { Logger } from '../slots/logger.js'
import type { WorkerPoolOptions } from './worker-options.js'

/** What a worker tells the primary once `serve` has resolved: it is serving, at `url`. */
export interface WorkerServingMessage {
  dovetail: 'worker-serving'
  url?: string
}

/** @internal Whether an IPC message is a worker's {@link WorkerServingMessage}. */
export const isServingMessage = (message: unknown): message is WorkerServingMessage =>
  typeof message === 'object' && message !== null && (message as WorkerServingMessage).dovetail === 'worker-serving'

/** One place in the pool: its number (1..N, kept across restarts) and the process filling it now. */
interface Slot {
  number: number
  worker: Worker | undefined
  serving: boolean
  restart: NodeJS.Timeout | undefined
}

/**
 * The primary's side of {@link runWorkers}: forks `count` workers (the first
 * alone, so a config or port problem is told once, then the rest), restarts
 * one that exits with a backoff, stops at a crash loop, and on `stop()`
 * drains every worker with SIGTERM within `stopTimeout`. Logs each start,
 * exit and restart. `done` resolves with the primary's exit code.
 *
 * @example
 * const pool = new WorkerPool(2, parseWorkerPoolOptions({}), logger, (url) => console.log(`serving on ${url}`))
 * process.once('SIGTERM', () => pool.stop())
 * process.exitCode = await pool.done
 */
export class WorkerPool {
  readonly #slots: Slot[]
  readonly #options: WorkerPoolOptions
  readonly #logger: Logger
  readonly #onServing: (url: string | undefined) => void
  /** When each unexpected exit happened (performance.now()), for the crash-loop window and the backoff. */
  #exits: number[] = []
  #stopping = false
  #everServed = false
  #othersForked = false
  #failed = false
  #settle!: (code: number) => void
  /** Resolves with the exit code: 0 after a clean drain, 1 after a failed start, a crash loop or a forced stop. */
  readonly done = new Promise<number>((resolve) => (this.#settle = resolve))

  constructor(count: number, options: WorkerPoolOptions, logger: Logger, onServing: (url: string | undefined) => void) {
    this.#options = options
    this.#logger = logger
    this.#onServing = onServing
    this.#slots = Array.from({ length: count }, (_, i) => ({ number: i + 1, worker: undefined, serving: false, restart: undefined }))
    this.#fork(this.#slots[0]!)
  }

  /**
   * Drain: no more restarts, SIGTERM to every worker (each runs its graceful
   * close), SIGKILL to those still running after `stopTimeout`. A second call
   * (a second Ctrl-C) kills them at once. `done` resolves once all have exited.
   */
  stop(reason = 'stopping'): void {
    if (this.#stopping) {
      this.#failed = true
      this.#logger.warn({ workers: this.#running().length }, `asked to stop again: killing ${this.#running().length} workers now`)
      for (const slot of this.#running()) slot.worker!.process.kill('SIGKILL')
      return
    }
    this.#stopping = true
    for (const slot of this.#slots) clearTimeout(slot.restart)
    const running = this.#running()
    if (running.length) this.#logger.info({ workers: running.length }, `${reason}: asking ${running.length} workers to finish their requests in flight and close`)
    for (const slot of running) slot.worker!.process.kill('SIGTERM')
    const force = setTimeout(() => {
      const left = this.#running()
      if (left.length === 0) return
      this.#failed = true
      this.#logger.error({ workers: left.map((s) => s.number), stopTimeout: this.#options.stopTimeout }, `stopTimeout (${this.#options.stopTimeout} ms) ran out: killing workers ${left.map((s) => s.number).join(', ')}`)
      for (const slot of left) slot.worker!.process.kill('SIGKILL')
    }, this.#options.stopTimeout)
    force.unref()
    this.#settleIfEmpty()
  }

  #running(): Slot[] {
    return this.#slots.filter((s) => s.worker !== undefined)
  }

  #fork(slot: Slot): void {
    const worker = cluster.fork({ DOVETAIL_WORKER: String(slot.number) })
    slot.worker = worker
    slot.serving = false
    const pid = worker.process.pid
    this.#logger.info({ worker: slot.number, pid }, `worker ${slot.number} started (pid ${pid})`)
    worker.on('message', (message: unknown) => {
      if (!isServingMessage(message) || slot.worker !== worker) return
      slot.serving = true
      this.#logger.info({ worker: slot.number, pid, url: message.url }, `worker ${slot.number} serving${message.url ? ` on ${message.url}` : ''}`)
      if (this.#everServed || this.#stopping) return
      if (!this.#othersForked) {
        this.#othersForked = true
        for (const other of this.#slots.slice(1)) this.#fork(other)
      }
      if (this.#slots.every((s) => s.serving)) {
        this.#everServed = true
        this.#onServing(message.url)
      }
    })
    // 'exit', not 'disconnect': the slot is free only once the process is gone (it may still be answering).
    worker.once('exit', (code, signal) => this.#exited(slot, worker, code, signal))
  }

  #exited(slot: Slot, worker: Worker, code: number | null, signal: string | null): void {
    if (slot.worker !== worker) return
    slot.worker = undefined
    const how = signal ? `signal ${signal}` : `code ${code}`
    const fields = { worker: slot.number, pid: worker.process.pid, exitCode: code, signal }
    if (this.#stopping) {
      // A worker our SIGTERM reached before it could take the signal (still loading) had nothing to finish.
      const endedByOurSignal = signal === 'SIGTERM' && !slot.serving
      if (code !== 0 && !endedByOurSignal) this.#failed = true
      this.#logger.info(fields, `worker ${slot.number} exited (${how})`)
      return this.#settleIfEmpty()
    }
    const wasServing = slot.serving
    this.#logger.warn(fields, `worker ${slot.number} exited (${how})${wasServing ? '' : ' before it was serving'}`)
    if (!this.#othersForked && !wasServing) {
      // The first worker could not start: the others would fail the same way. Say it once and stop.
      const error = WorkersStart(`worker 1 exited (${how}) before it was serving: the app did not start or could not listen (its error is above). Started no other workers.`)
      this.#logger.error({ ...fields, code: error.code }, error.message)
      this.#failed = true
      return this.stop('the first worker did not start')
    }
    const now = performance.now()
    this.#exits = this.#exits.filter((at) => now - at < this.#options.crashLoopWindow)
    this.#exits.push(now)
    if (this.#exits.length >= this.#options.crashLoopExits) {
      const error = WorkersCrashLoop(
        `${this.#exits.length} worker exits within ${this.#options.crashLoopWindow} ms (crashLoopExits ${this.#options.crashLoopExits}): a crash loop, not restarting; stopping the other workers. Their own errors are above.`,
      )
      this.#logger.error({ exits: this.#exits.length, crashLoopWindow: this.#options.crashLoopWindow, code: error.code }, error.message)
      this.#failed = true
      return this.stop('crash loop')
    }
    const delay = Math.min(this.#options.maxRestartDelay, this.#options.restartDelay * 2 ** (this.#exits.length - 1))
    this.#logger.info({ worker: slot.number, delay, recentExits: this.#exits.length }, `worker ${slot.number} restarting in ${delay} ms (${this.#exits.length} of the ${this.#options.crashLoopExits} exits within ${this.#options.crashLoopWindow} ms that make a crash loop)`)
    slot.restart = setTimeout(() => {
      slot.restart = undefined
      if (!this.#stopping) this.#fork(slot)
    }, delay)
  }

  #settleIfEmpty(): void {
    if (this.#stopping && this.#running().length === 0) this.#settle(this.#failed ? 1 : 0)
  }
}
