/**
 * One computation at a time per key, in this process: the first caller's
 * `work` runs, and whoever asks for the same key while it runs waits for that
 * same promise (so a page that expired under load is rendered once, not once
 * per request). A failure reaches every waiter and is not remembered: the
 * next call runs `work` again.
 *
 * Caches use it for `getOrCompute`; it is exported so that a third-party cache
 * gives the same guarantee without writing its own.
 *
 * @example
 * const flights = new SingleFlight<string>()
 * const json = await flights.run(key, async () => encodeCacheValue(key, await compute()))
 */
export class SingleFlight<T> {
  readonly #running = new Map<string, Promise<T>>()

  /** `work()` for `key`, or the promise of the run already under way for it. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#running.get(key)
    if (running) return running
    // Called through an async function so that a work that throws synchronously still rejects the promise.
    // Deleted only if still the key's run: after `forget`, a newer run may hold the key.
    const flight: Promise<T> = (async () => work())().finally(() => {
      if (this.#running.get(key) === flight) this.#running.delete(key)
    })
    this.#running.set(key, flight)
    return flight
  }

  /**
   * Lets the run under way for `key` finish for those already waiting, but
   * makes the next caller start a run of its own: for a cache whose tag was
   * cleared meanwhile, so nobody who asks after the clear is given what was
   * computed from the data before it.
   */
  forget(key: string): void {
    this.#running.delete(key)
  }

  /** Keys being computed now. */
  get size(): number {
    return this.#running.size
  }
}
