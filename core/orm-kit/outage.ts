/**
 * What a driver error says of the database's availability:
 * - `unreachable`: no connection could be made, or the one in use broke
 *   (refused, reset, timed out, terminated, the server shutting down);
 * - `saturated`: the database is up but has no room for this request now (no
 *   free pooled connection within `acquireTimeout`, too many connections, a
 *   SQLite file locked by another process);
 * - `undefined`: anything else (a bad query, a constraint), which is the
 *   request's own problem and not a 503.
 */
export type Outage = 'unreachable' | 'saturated'

// Node's socket errors: the network or the server's port.
const socketCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENETUNREACH', 'ENETDOWN', 'ENOTFOUND', 'EAI_AGAIN'])
// mysql2's codes for a connection that broke or could not be made.
const mysqlUnreachable = new Set(['PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_NORMAL_SHUTDOWN', 'ER_SHUTDOWN_COMPLETE'])
const mysqlSaturated = new Set(['ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_OUT_OF_RESOURCES'])
// PostgreSQL's SQLSTATEs: class 08 (connection exception), the server shutting down or starting.
const pgUnreachable = (state: string) => state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03'
// too_many_connections, configuration_limit_exceeded.
const pgSaturated = new Set(['53300', '53400'])
// pg's and mysql2's errors for a connection that broke carry no code, only these words.
const brokenConnection = /^Connection terminated|^Client has encountered a connection error|^Client was closed and is not queryable|^timeout expired|^Can't add new command when connection is in closed state/i

/**
 * Whether `error` (or an error in its cause chain: an ORM may wrap the
 * driver's) means the database is unavailable rather than the query wrong.
 *
 * @example
 * outageOf(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })) // 'unreachable'
 */
export function outageOf(error: unknown): Outage | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const found = ownOutage(e as { name?: unknown; code?: unknown; message?: unknown })
    if (found) return found
  }
  return undefined
}

function ownOutage(e: { name?: unknown; code?: unknown; message?: unknown }): Outage | undefined {
  // A pool's wait for a connection ran out (acquireTimeout): knex's, or an ORM component's own
  // (name 'OrmAcquireTimeout'), or pg-pool's, whose error has only its words.
  if (e.name === 'KnexTimeoutError' || e.name === 'OrmAcquireTimeout') return 'saturated'
  if (typeof e.message === 'string' && /^timeout exceeded when trying to connect/i.test(e.message)) return 'saturated'
  const code = typeof e.code === 'string' ? e.code : undefined
  if (code !== undefined) {
    if (socketCodes.has(code) || mysqlUnreachable.has(code) || (/^[0-9A-Z]{5}$/.test(code) && pgUnreachable(code))) return 'unreachable'
    if (mysqlSaturated.has(code) || pgSaturated.has(code) || code === 'SQLITE_BUSY') return 'saturated'
  }
  if (typeof e.message === 'string' && brokenConnection.test(driverMessage(e.message))) return 'unreachable'
  return undefined
}

/**
 * The driver's own words in an error message: knex puts the SQL first
 * (`select … - Connection terminated`), values and all, which has no place
 * in a log line about an outage.
 *
 * @example
 * driverMessage("insert into page (slug) values ('x') - write ECONNRESET") // 'write ECONNRESET'
 */
export function driverMessage(message: string): string {
  const at = message.lastIndexOf(' - ')
  return at < 0 ? message : message.slice(at + 3)
}
