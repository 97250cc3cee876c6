/** One wait registered with {@link Deadlines}: give it back to `delete` when it ends in time. */
export interface Deadline {
  /** `performance.now()` past which the wait has failed. */
  readonly at: number
  readonly expire: () => void
}

/** Options of {@link Deadlines}. */
export interface DeadlinesOptions {
  /**
   * Keep the process alive while a wait is pending, as the awaited work would
   * (a store call, say); off, the timer never holds the process open, for
   * waits whose work keeps it alive by other means (a pool's sockets).
   * @default false
   */
  keepAlive?: boolean
}

/**
 * Waits that all give up after the same `ms`, on one timer. A timer set and
 * cleared for every query or store call, most of which end at once, costs
 * more than the call's own bookkeeping on a busy server. With one length for
 * all, the oldest wait always ends first, so the waits are kept in the order
 * they began and the timer is set for the oldest; a wait that ended in time
 * is only removed from the set.
 *
 * @example
 * const deadlines = new Deadlines(3_000)
 * const wait = deadlines.add(() => reject(new Error('no answer within 3000 ms')))
 * work.finally(() => deadlines.delete(wait))
 */
export class Deadlines {
  readonly #ms: number
  readonly #keepAlive: boolean
  readonly #waits = new Set<Deadline>()
  #timer: NodeJS.Timeout | undefined

  constructor(ms: number, options: DeadlinesOptions = {}) {
    this.#ms = ms
    this.#keepAlive = options.keepAlive ?? false
  }

  /** Calls `expire` after `ms`, unless {@link delete} is called first. */
  add(expire: () => void): Deadline {
    const wait = { at: performance.now() + this.#ms, expire }
    this.#waits.add(wait)
    if (!this.#timer) this.#arm(this.#ms)
    else if (this.#keepAlive) this.#timer.ref()
    return wait
  }

  /** The wait ended in time: it will not expire. */
  delete(wait: Deadline): void {
    this.#waits.delete(wait)
    // Nothing waits: the timer, left to fire for nothing, must not hold the process open.
    if (this.#waits.size === 0) this.#timer?.unref()
  }

  /** Stop the timer; the waits left do not expire (their owner is closing). */
  clear(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waits.clear()
  }

  #arm(ms: number): void {
    // One timer at a time, even if an expiring wait began another one.
    clearTimeout(this.#timer)
    this.#timer = setTimeout(this.#fire, Math.max(ms, 1))
    if (!this.#keepAlive) this.#timer.unref()
  }

  readonly #fire = (): void => {
    this.#timer = undefined
    const now = performance.now()
    for (const wait of this.#waits) {
      if (wait.at > now) return this.#arm(wait.at - now)
      this.#waits.delete(wait)
      wait.expire()
    }
  }
}
