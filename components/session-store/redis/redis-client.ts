import { Redis } from 'ioredis'
import { z } from 'zod'
import { DovetailError, type Logger, ServiceUnavailableError } from '../../../core/index.js'
import { ConnectionWatch } from './connection-watch.js'

/**
 * The connection options every Redis-backed component takes (this session
 * store, the Redis cache): one set of names, defaults and meanings.
 */
export const redisConnectionOptions = {
  url: z.string().regex(/^rediss?:\/\//, "a Redis URL starts with redis:// or rediss://, e.g. 'redis://127.0.0.1:6379/0'").default('redis://127.0.0.1:6379'),
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
}

/** The validated connection options. */
export interface RedisConnectionSettings {
  url: string
  connectTimeout: number
  commandTimeout: number
  maxReconnectDelay: number
}

/** What a component says about its Redis connection in logs and startup errors. */
export interface RedisConnectionLabels {
  /** `session-store/redis`, `cache/redis`. */
  component: string
  /** What users notice while Redis is away, for the warning: 'requests that need a session are answered 503 until it is back'. */
  whileDown: string
}

const watches = new WeakMap<Redis, ConnectionWatch>()

/**
 * An ioredis client set up to fail fast while Redis is away, not connected
 * yet: {@link connectRedis} in the component's `start`, {@link closeRedis} in
 * its `stop`. The outage is logged once when it starts and once when it ends.
 *
 * @example
 * const client = createRedisClient(options, logger, { component: 'cache/redis', whileDown: 'cached routes are answered 503' })
 */
export function createRedisClient(settings: RedisConnectionSettings, logger: Logger, labels: RedisConnectionLabels): Redis {
  let watch: ConnectionWatch | undefined
  const client = new Redis(settings.url, {
    lazyConnect: true,
    connectTimeout: settings.connectTimeout,
    commandTimeout: settings.commandTimeout,
    // Fail fast while Redis is away. With the offline queue on (ioredis's default), a command
    // waits for the reconnection, retried up to maxRetriesPerRequest times: the session store's
    // requests used to hang for up to 8 s, then fail with a 500. Bounding that wait with
    // commandTimeout alone is no cure: a command that timed out stays queued and is sent once
    // Redis is back (measured), so a write the client was told failed lands later, even after
    // a logout deleted that session. Off, and with no retries, a command fails as soon as it
    // can't be sent, or when the connection it was sent on closes.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    // At startup a failure is final (the app must not boot without its Redis); later, reconnect with backoff.
    retryStrategy: (times) => (watch?.started ? Math.min(times * 200, settings.maxReconnectDelay) : null),
  })
  watch = new ConnectionWatch(client, logger, `${labels.component} (Redis at ${client.options.host}:${client.options.port})`, labels)
  watches.set(client, watch)
  return client
}

/**
 * The first connection, bounded by `connectTimeout` handshake included (a
 * Redis that accepts the connection but never answers would otherwise hold
 * startup for several command timeouts). Fails with an error naming the URL
 * (password hidden) and the option to check.
 *
 * @example
 * async start(app, options) { await connectRedis(clientOf(app), options, 'cache/redis') }
 */
export async function connectRedis(client: Redis, settings: RedisConnectionSettings, component: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within connectTimeout, ${settings.connectTimeout} ms`)), settings.connectTimeout)
      }),
    ])
  } catch (error) {
    const cause = watches.get(client)?.lastError ?? error
    closeNow(client)
    throw new Error(`${component} could not connect to ${redact(settings.url)} (${(cause as Error).message}). Check the url option and that Redis is running.`, { cause })
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Close the client for `app.close()`: resolves once the socket is closed, so
 * nothing is left open, and does not wait for a Redis that does not answer.
 *
 * @example
 * async stop(app) { await closeRedis(clientOf(app)) }
 */
export async function closeRedis(client: Redis): Promise<void> {
  const watch = watches.get(client)
  if (watch) watch.stopping = true
  if (client.status === 'end' || client.status === 'wait') return
  if (client.status === 'reconnecting') {
    // Between attempts there is no socket: this only cancels the next attempt (ioredis emits no 'end' then).
    client.disconnect()
    return
  }
  const ended = new Promise((resolve) => client.once('end', resolve))
  // QUIT lets Redis finish what was sent; when Redis does not answer it (an outage), drop the socket.
  if (client.status === 'ready') await client.quit().catch(() => closeNow(client))
  else closeNow(client)
  await ended
}

/**
 * One command; any failure of it means Redis is unavailable to this request:
 * a `ServiceUnavailableError` naming `service` (a 503), except a
 * `DovetailError` (the caller's own refusal of a value), passed through.
 *
 * A command that timed out leaves the connection in doubt: its reply may still
 * come, or the link is dead without either side knowing (a vanished host, a
 * frozen server). Redis answers in order, so ioredis would wait behind it.
 * Dropping the connection fails what else is in flight at once and reconnects,
 * so the next requests fail fast instead of each waiting out the timeout, and
 * recover as soon as Redis answers a fresh connection. (The socket is
 * destroyed rather than closed with disconnect(true): a graceful close would
 * wait up to two seconds for a peer that is not answering.)
 *
 * @example
 * const text = await callRedis(client, store.name, () => client.get(key))
 */
export async function callRedis<T>(client: Redis, service: string, command: () => Promise<T>): Promise<T> {
  try {
    return await command()
  } catch (error) {
    if (error instanceof DovetailError) throw error
    if ((error as Error).message === 'Command timed out' && client.status === 'ready') client.stream.destroy()
    // ioredis's messages never quote a command's arguments, so no key reaches a log from here.
    throw new ServiceUnavailableError(`${service}: Redis did not answer (${(error as Error).message})`, { cause: error })
  }
}

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
