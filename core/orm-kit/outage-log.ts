import { HttpError, ServiceUnavailableError } from '../errors/http-error.js'
import type { Logger } from '../slots/logger.js'
import type { OrmDialect } from '../slots/orm.js'
import { driverMessage, type Outage } from './outage.js'

// SQLite has one connection, so "no room" there is seldom load: most often a query was sent outside the
// request's open transaction (another fork, the app-wide handle), and waits for the transaction holding it.
const sqliteHint =
  ". On SQLite, with its one connection, this is most often a query sent outside the request's open transaction (another fork or the app-wide handle), which waits for that transaction to end: query through the request's Db (see docs/orm.md, 'A transaction per request')"

/** What an {@link OutageLog} names in its log lines and 503s. */
export interface OutageLogOptions {
  logger: Logger
  /** The ORM component, e.g. `orm/kysely`. */
  component: string
  dialect: OrmDialect
  /** Where the database is: a SQLite path, or a URL with its password masked (`redact`). */
  location: string
  /** Seconds of `Retry-After` on the 503. */
  retryAfter: number
}

/**
 * How an ORM component reports the database's availability: the 503 a query
 * failed by an outage answers, logged once at warn when the outage starts and
 * once at info when a query succeeds again (with how long and how many); and
 * a query cancelled because its request ended, at info (the client's doing
 * or the time limit, not a fault of the app).
 *
 * @example
 * const outages = new OutageLog({ logger, component: 'orm/kysely', dialect: 'postgresql', location, retryAfter: 5 })
 * try { rows = await run() } catch (error) { const outage = outageOf(error); throw outage ? outages.unavailable(error, outage) : error }
 * outages.answered()
 */
export class OutageLog {
  readonly #options: OutageLogOptions
  /** Since when the database has failed queries for being down or full, and how many. */
  #outage: { since: number; failed: number } | undefined

  constructor(options: OutageLogOptions) {
    this.#options = options
  }

  /** A query failed because the database is down or full: the 503 to answer, reported once per outage. */
  unavailable(error: unknown, outage: Outage): HttpError {
    const { logger, component, dialect, location, retryAfter } = this.#options
    const reason = driverMessage((error as Error)?.message ?? String(error))
    const what = `the ${dialect} database at ${location}`
    if (this.#outage === undefined) {
      this.#outage = { since: Date.now(), failed: 0 }
      logger.warn(
        { component, database: location, outage, reason },
        outage === 'unreachable'
          ? `${what} cannot be reached (${reason}): requests that need it are answered 503 until it answers again`
          : `${what} has no room for more work now (${reason}): requests that need it are answered 503 until it has${dialect === 'sqlite' ? sqliteHint : ''}`,
      )
    }
    this.#outage.failed++
    return new ServiceUnavailableError(`${what} is ${outage === 'unreachable' ? 'unreachable' : 'saturated'}: ${reason}`, { retryAfter, cause: error })
  }

  /** A query succeeded; if the database was out, say it is back. */
  answered(): void {
    const outage = this.#outage
    if (outage === undefined) return
    this.#outage = undefined
    const { logger, component, dialect, location } = this.#options
    const downFor = Date.now() - outage.since
    logger.info(
      { component, database: location, downMs: downFor, failed: outage.failed },
      `the ${dialect} database at ${location} answers again, after ${(downFor / 1000).toFixed(1)} s; ${outage.failed} queries were answered 503 meanwhile`,
    )
  }

  /** A query was stopped because its request ended: cancelled, or its connection closed when no cancel could be sent. */
  cancelled(reason: unknown, how: 'cancelled' | 'connection closed', error?: unknown): void {
    const { logger, component, location } = this.#options
    const why = reason instanceof HttpError ? 'its request outlived the time limit' : 'the client closed the connection'
    logger.info(
      { component, database: location, ...(error ? { reason: driverMessage((error as Error)?.message ?? String(error)) } : {}) },
      how === 'cancelled' ? `cancelled a running query: ${why}` : `closed the connection of a running query, which could not be cancelled: ${why}`,
    )
  }
}
