/** One wait for a connection that gives up at its deadline; see {@link Deadlines}. */
export interface Wait {
  readonly at: number
  readonly expire: () => void
}

/**
 * Waits that all give up after the same `ms`, on one timer: a timer set and
 * cleared for every query (most of which get their connection at once)
 * costs more than the query's own bookkeeping. With one length for all,
 * the oldest wait always ends first, so the waits are kept in the order
 * they began and the timer is set for the oldest; a wait that got its
 * connection is only removed from the set.
 *
 * The timer does not keep the process alive (`unref`): a wait for a pooled
 * connection has the pool's sockets for that, and one for SQLite's single
 * connection has whatever holds it.
 */
export class Deadlines {
  readonly #ms: number
  readonly #waits = new Set<Wait>()
  #timer: NodeJS.Timeout | undefined

  constructor(ms: number) {
    this.#ms = ms
  }

  /** Calls `expire` after `ms`, unless {@link delete} is called first. */
  add(expire: () => void): Wait {
    const wait = { at: performance.now() + this.#ms, expire }
    this.#waits.add(wait)
    if (!this.#timer) this.#arm(this.#ms)
    return wait
  }

  delete(wait: Wait): void {
    this.#waits.delete(wait)
  }

  /** Stop the timer; the waits left are not expired (the driver is closing). */
  clear(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#waits.clear()
  }

  #arm(ms: number): void {
    // One timer at a time, even if an expiring wait began another one.
    clearTimeout(this.#timer)
    this.#timer = setTimeout(this.#fire, Math.max(ms, 1))
    this.#timer.unref()
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
