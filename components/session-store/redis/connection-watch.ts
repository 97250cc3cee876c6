import type { Redis } from 'ioredis'
import type { Logger } from '../../../core/index.js'

/**
 * Follows a component's Redis connection: remembers the error that stopped
 * startup, and logs a lost connection once at warn and its return once at
 * info, however many reconnection attempts fail in between (each is only a
 * debug line), so an outage is two lines in the log, not one per second.
 */
export class ConnectionWatch {
  /** True once the first connection was ready: from then on the client reconnects by itself. */
  started = false
  /** Set by the component's stop(), so closing the app is not reported as a lost connection. */
  stopping = false
  lastError: Error | undefined
  #lostAt: number | undefined

  constructor(client: Redis, logger: Logger, service: string, labels: { component: string; whileDown: string }) {
    const fields = { component: labels.component, service }
    client.on('error', (error: Error) => {
      this.lastError = error
      if (this.#lostAt !== undefined) logger.debug({ ...fields, reason: error.message }, 'reconnecting to Redis failed; trying again')
    })
    client.on('close', () => {
      if (!this.started || this.stopping || this.#lostAt !== undefined) return
      this.#lostAt = Date.now()
      logger.warn({ ...fields, reason: this.lastError?.message ?? 'the connection was closed' }, `lost the connection to Redis; reconnecting. ${labels.whileDown}`)
    })
    client.on('ready', () => {
      this.lastError = undefined
      if (!this.started) {
        this.started = true
      } else if (this.#lostAt !== undefined) {
        logger.info({ ...fields, downFor: Date.now() - this.#lostAt }, 'reconnected to Redis')
        this.#lostAt = undefined
      }
    })
  }
}
