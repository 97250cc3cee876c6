import { Redis } from 'ioredis'
import { z } from 'zod'
import { defineComponent, Logger, SessionStore } from '../../../core/index.js'
import { ConnectionWatch } from './connection-watch.js'
import { RedisSessionStore } from './redis-store.js'

export const redisStoreOptions = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, "a Redis URL starts with redis:// or rediss://, e.g. 'redis://127.0.0.1:6379/0'").default('redis://127.0.0.1:6379'),
  prefix: z.string().default('dovetail:sess:'),
  /**
   * Milliseconds a TCP connection to Redis may take: the first one at startup
   * (an unreachable Redis stops the app) and each reconnection attempt later.
   * @default 5000
   */
  connectTimeout: z.number().int().positive().default(5_000),
  /**
   * Milliseconds one command may take before it fails: the request that sent it
   * is answered 503, and the connection is reset. Also bounds the handshake at
   * startup, so a Redis that accepts connections but never answers stops the app.
   * @default 1000
   */
  commandTimeout: z.number().int().positive().default(1_000),
  /** The longest wait between reconnection attempts (ms); waits grow by 200 ms per failed attempt up to this. @default 2000 */
  maxReconnectDelay: z.number().int().positive().default(2_000),
})

const states = new WeakMap<RedisSessionStore, ConnectionWatch>()

/**
 * The `session-store` slot on Redis (ioredis). Connects at startup, so an
 * unreachable Redis stops the app before its first request; afterwards it
 * reconnects on its own, and while Redis is away every session read or write
 * fails at once (a 503 from the session middleware) instead of waiting.
 *
 * @example
 * import { redisStore } from 'dovetailjs/components/session-store/redis'
 * defineConfig({ components: { 'session-store': redisStore({ url: process.env.REDIS_URL, prefix: 'shop:sess:' }) } })
 * // or by name, with the defaults: components: { 'session-store': 'redis' }
 */
export const redisStore = defineComponent({
  name: 'session-store/redis',
  slot: 'session-store',
  contract: '^1.0',
  options: redisStoreOptions,
  register(c, options) {
    c.singleton(SessionStore, (resolve) => {
      let watch: ConnectionWatch | undefined
      const client = new Redis(options.url, {
        lazyConnect: true,
        connectTimeout: options.connectTimeout,
        commandTimeout: options.commandTimeout,
        // Fail fast while Redis is away. With the offline queue on (ioredis's default), a command
        // waits for the reconnection, retried up to maxRetriesPerRequest times: this store's
        // requests used to hang for up to 8 s, then fail with a 500. Bounding that wait with
        // commandTimeout alone is no cure: a command that timed out stays queued and is sent once
        // Redis is back (measured), so a write the client was told failed lands later, even after
        // a logout deleted that session. Off, and with no retries, a command fails as soon as it
        // can't be sent, or when the connection it was sent on closes.
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        autoResendUnfulfilledCommands: false,
        // At startup a failure is final (the app must not boot without its store); later, reconnect with backoff.
        retryStrategy: (times) => (watch?.started ? Math.min(times * 200, options.maxReconnectDelay) : null),
      })
      const store = new RedisSessionStore(client, { prefix: options.prefix })
      watch = new ConnectionWatch(client, resolve(Logger), store.name)
      states.set(store, watch)
      return store
    })
  },
  async start(app, options) {
    const store = app.resolve(SessionStore) as RedisSessionStore
    let timer: NodeJS.Timeout | undefined
    try {
      // connectTimeout bounds the whole first connection, handshake included: a Redis that accepts
      // the connection but never answers would otherwise hold startup for several command timeouts.
      await Promise.race([
        store.client.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within connectTimeout, ${options.connectTimeout} ms`)), options.connectTimeout)
        }),
      ])
    } catch (error) {
      const cause = states.get(store)!.lastError ?? error
      closeNow(store.client)
      throw new Error(
        `session-store/redis could not connect to ${redact(options.url)} (${(cause as Error).message}). Check the url option and that Redis is running.`,
        { cause },
      )
    } finally {
      clearTimeout(timer)
    }
  },
  async stop(app) {
    const store = app.resolve(SessionStore) as RedisSessionStore
    const { client } = store
    states.get(store)!.stopping = true
    if (client.status === 'end' || client.status === 'wait') return
    if (client.status === 'reconnecting') {
      // Between attempts there is no socket: this only cancels the next attempt (ioredis emits no 'end' then).
      client.disconnect()
      return
    }
    // Resolve only once the socket is closed, so app.close() leaves nothing open.
    const ended = new Promise((resolve) => client.once('end', resolve))
    // QUIT lets Redis finish what was sent; when Redis does not answer it (an outage), drop the socket.
    if (client.status === 'ready') await client.quit().catch(() => closeNow(client))
    else closeNow(client)
    await ended
  },
})

/** Close without reconnecting and without waiting for a peer that may not answer. */
function closeNow(client: Redis): void {
  client.disconnect()
  client.stream?.destroy()
}

/** The URL without its password, for error messages that end up in logs. */
function redact(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return url
  }
}
