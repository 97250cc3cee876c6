import { Deadlines, DovetailError, HttpError, type Logger, ServiceUnavailableError, type SessionStore } from '../../../core/index.js'

/** How the session middleware treats a store that fails or is slow. */
export interface StoreGuardSettings {
  /** Milliseconds one store call may take before the request is answered 503. */
  timeout: number
  /** Seconds the 503 asks the client to wait (`Retry-After`). */
  retryAfter: number
}

/**
 * Every store call of the session middleware goes through here, so that a
 * store that is down or slow gives the request a 503 with `Retry-After` in
 * bounded time, whatever the store and whatever its driver throws:
 *
 * - a call that takes longer than `timeout` fails (it is not cancelled: the
 *   store's own timeouts end it);
 * - a rejection becomes a `ServiceUnavailableError`, unless it is a
 *   `DovetailError` (the store refusing a value it can never keep, the app's
 *   bug, which stays a 500) or another `HttpError` (the store chose a status);
 * - once a call has failed, the store is taken to be down: one call at a time
 *   goes through to find out whether it is back, and the others fail at once
 *   rather than each waiting out `timeout` (a database that stopped answering
 *   would otherwise hold every request, and a pool connection, that long);
 * - the outage is logged once at warn, naming the store, when the first call
 *   fails, and once at info when a call succeeds again, instead of an error
 *   with a stack for every request in between.
 *
 * @example
 * const guard = new StoreGuard(store, { timeout: 3_000, retryAfter: 5 }, logger)
 * const data = await guard.call('get', () => store.get(id))
 */
export class StoreGuard {
  readonly #settings: StoreGuardSettings
  readonly #logger: Logger | undefined
  readonly #service: string
  #downSince: number | undefined
  /** While the store is down: a call is finding out whether it is back. */
  #probing = false
  /** One timer for every store call in flight (see #withinTimeout). */
  readonly #deadlines: Deadlines

  constructor(store: SessionStore, settings: StoreGuardSettings, logger?: Logger) {
    this.#settings = settings
    this.#logger = logger
    // Held open while a call waits, as the call itself would hold the process.
    this.#deadlines = new Deadlines(settings.timeout, { keepAlive: true })
    const className = (store as object).constructor?.name
    this.#service = store.name ?? (className && className !== 'Object' ? className : 'the session store')
  }

  async call<T>(operation: 'get' | 'set' | 'destroy', work: () => Promise<T>): Promise<T> {
    if (this.#downSince !== undefined) {
      if (this.#probing) throw this.#unavailable(operation, 'still unavailable; another request is checking whether it is back')
      this.#probing = true
      try {
        return await this.#attempt(operation, work)
      } finally {
        this.#probing = false
      }
    }
    return this.#attempt(operation, work)
  }

  async #attempt<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      const result = await this.#withinTimeout(work())
      this.#up()
      return result
    } catch (error) {
      if (error instanceof DovetailError || (error instanceof HttpError && !(error instanceof ServiceUnavailableError))) throw error
      this.#down(operation, error)
      throw this.#unavailable(operation, reasonOf(error), error)
    }
  }

  /**
   * `pending`, or a rejection once `timeout` ms have passed without an answer.
   * One timer serves every call in flight (`Deadlines`): a timer set and
   * cleared per store call (two or three a request) cost more than the memory
   * store's answer.
   */
  #withinTimeout<T>(pending: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const wait = this.#deadlines.add(() => reject(new Error(`no answer within ${this.#settings.timeout} ms (the session middleware's store.timeout)`)))
      pending.then(
        (value) => {
          this.#deadlines.delete(wait)
          resolve(value)
        },
        (error: unknown) => {
          // After the timeout this is already answered for (the promise is settled); it is reported there.
          this.#deadlines.delete(wait)
          reject(error)
        },
      )
    })
  }

  #unavailable(operation: string, reason: string, cause?: unknown): ServiceUnavailableError {
    return new ServiceUnavailableError(`${this.#service}: session ${operation} failed: ${reason}`, { retryAfter: this.#settings.retryAfter, cause })
  }

  #down(operation: string, error: unknown): void {
    const fields = { component: 'middleware/session', service: this.#service, operation, reason: reasonOf(error) }
    if (this.#downSince !== undefined) {
      this.#logger?.debug(fields, 'the session store is still unavailable; answered 503')
      return
    }
    this.#downSince = Date.now()
    this.#logger?.warn(
      { ...fields, retryAfter: this.#settings.retryAfter },
      'the session store is unavailable: requests that need a session are answered 503 with Retry-After until it answers again',
    )
  }

  #up(): void {
    if (this.#downSince === undefined) return
    this.#logger?.info({ component: 'middleware/session', service: this.#service, downFor: Date.now() - this.#downSince }, 'the session store answers again')
    this.#downSince = undefined
  }
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))
