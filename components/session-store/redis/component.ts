import { Redis } from 'ioredis'
import { z } from 'zod'
import { defineComponent, Logger, SessionStore } from '../../../core/index.js'
import { RedisSessionStore } from './redis-store.js'

export const redisStoreOptions = z.strictObject({
  url: z.string().regex(/^rediss?:\/\//, "a Redis URL starts with redis:// or rediss://, e.g. 'redis://127.0.0.1:6379/0'").default('redis://127.0.0.1:6379'),
  prefix: z.string().default('dovetail:sess:'),
  /** Milliseconds to wait for the first connection at startup. */
  connectTimeout: z.number().int().positive().default(5_000),
})

/**
 * The `session-store` slot on Redis (ioredis). Connects at startup, so an
 * unreachable Redis stops the app before its first request; afterwards it
 * reconnects on its own.
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
      const logger = resolve(Logger)
      let started = false
      const client = new Redis(options.url, {
        lazyConnect: true,
        connectTimeout: options.connectTimeout,
        maxRetriesPerRequest: 3,
        // At startup a failure is final (the app must not boot without its store); later, reconnect with backoff.
        retryStrategy: (times) => (started ? Math.min(times * 200, 2_000) : null),
      })
      let lastError: Error | undefined
      client.on('error', (error: Error) => {
        lastError = error
        if (started) logger.error({ err: error, component: 'session-store/redis' }, 'Redis connection error; reconnecting')
      })
      client.once('ready', () => {
        started = true
      })
      return Object.assign(new RedisSessionStore(client, { prefix: options.prefix }), {
        lastError: () => lastError,
      })
    })
  },
  async start(app, options) {
    const store = app.resolve(SessionStore) as RedisSessionStore & { lastError(): Error | undefined }
    try {
      await store.client.connect()
    } catch (error) {
      const cause = store.lastError() ?? error
      store.client.disconnect()
      throw new Error(
        `session-store/redis could not connect to ${redact(options.url)} (${(cause as Error).message}). Check the url option and that Redis is running.`,
        { cause },
      )
    }
  },
  async stop(app) {
    const store = app.resolve(SessionStore) as RedisSessionStore
    if (store.client.status === 'end') return
    // Resolve only once the socket is closed, so app.close() leaves nothing open.
    const ended = new Promise((resolve) => store.client.once('end', resolve))
    if (store.client.status === 'ready') await store.client.quit()
    else store.client.disconnect()
    await ended
  },
})

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
