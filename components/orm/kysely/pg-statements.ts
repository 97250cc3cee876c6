import { RecentlyUsed } from '../../../core/orm-kit/index.js'

/** What of pg's `Client` this file uses. */
export interface NamingClient {
  query(config: unknown, values?: unknown, callback?: unknown): unknown
  /** pg 8.23+: 'I' idle, 'T' in a transaction, 'E' in a failed one, as the server last said. */
  getTransactionStatus?(): string | null
  /** pg's record of the statements parsed on this connection (name to text), which it never forgets. */
  connection?: { parsedStatements?: Record<string, string> }
}

/** pg's `Query` class (`pg.Query`): built from a text, values and a callback; `name` set before it is submitted. */
export type PgQueryClass = new (text: string, values: unknown[], callback: (error: unknown, result: unknown) => void) => { name?: string }

/** What a query may be named for: one statement of the kinds worth keeping (DDL, `begin`, `set` and the like are sent as they are). */
const namable = /^\s*(select|insert|update|delete|with)\b/i

// Names unique within the process, so a name dropped from one connection is never reused for other SQL there.
let counter = 0

/** PostgreSQL errors after which a kept statement must be prepared again under a new name. */
const stale = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code
  // 0A000 "cached plan must not change result type": its tables changed the columns a statement returns (DDL).
  // 26000 "prepared statement … does not exist": a `DEALLOCATE ALL` or `DISCARD ALL` sent on this connection.
  return code === '0A000' || code === '26000'
}

/**
 * Makes a pg client send its queries as named prepared statements, keyed by
 * SQL text: up to `size` per connection, the least recently used
 * deallocated first. PostgreSQL then parses and plans a query the first
 * time this connection sees it, and only binds and runs it after: the raw
 * driver's `{ name, text, values }`, done for every query Kysely compiles.
 *
 * Only single `select`, `insert`, `update`, `delete` and `with` statements
 * are named (a `;` anywhere keeps a query unnamed: a named statement cannot
 * hold two). After a schema change, PostgreSQL plans a kept statement again
 * by itself, except when the columns it returns changed ("cached plan must
 * not change result type"): that statement is then dropped and, outside a
 * transaction, the query runs once more under a new name; inside one the
 * error is the query's (the transaction is aborted by then) and the next
 * transaction prepares it anew.
 *
 * Does nothing when `size` is 0, or when the client lacks the record of
 * parsed statements this relies on (a pg other than 8.x).
 */
export function nameStatements(client: NamingClient, size: number, Query?: PgQueryClass): void {
  const parsed = client.connection?.parsedStatements
  if (size === 0 || typeof parsed !== 'object' || parsed === null) return
  const send = client.query.bind(client)
  const names = new RecentlyUsed<string>(size)

  // pg copies a `{ name, text, values }` config property by property (getOwnPropertyDescriptors) on
  // every query, garbage a short query can do without: a Query built from the text, given its name
  // before it is submitted (pg reads the name only then), is sent as it is.
  const sendNamed = (name: string, text: string, values: unknown[]): Promise<unknown> => {
    if (!Query) return send({ name, text, values }) as Promise<unknown>
    return new Promise((resolve, reject) => {
      const query = new Query(text, values, (error: unknown, result: unknown) => (error ? reject(error) : resolve(result)))
      query.name = name
      send(query)
    })
  }

  // Each DEALLOCATE is sent on its own and waited for before the query that follows: pg deprecates
  // a second query() while one runs on the client, and this client is lent to one query at a time.
  const drop = async (name: string): Promise<void> => {
    // Only a statement the server has: a DEALLOCATE of an unknown name would fail, and in a transaction abort it.
    if (parsed[name] === undefined) return
    delete parsed[name]
    // Not transactional in PostgreSQL, so a later rollback cannot bring it back. Refused in a failed
    // transaction: the statement then lives on the server until the connection closes (the name is never reused).
    await (send(`deallocate ${name}`) as Promise<unknown>).catch(() => {})
  }

  const named = (text: string, values: unknown[]): Promise<unknown> => {
    let name = names.get(text)
    if (name !== undefined) return sendNamed(name, text, values)
    name = `dovetail_${(counter++).toString(36)}`
    const evicted = names.set(text, name)
    if (!evicted) return sendNamed(name, text, values)
    return drop(evicted.value).then(() => sendNamed(name!, text, values))
  }

  const forgetAll = () => {
    for (const name of names.values()) delete parsed[name]
    names.clear()
  }

  client.query = (config: unknown, values?: unknown, callback?: unknown) => {
    // Kysely's PostgreSQL driver calls query(sql, parameters); anything else (pg's own config objects, callbacks) is passed on.
    if (typeof config !== 'string' || !Array.isArray(values) || callback !== undefined) return send(config, values, callback)
    // A text already kept passed the checks when it was first seen.
    if (!names.has(config) && (!namable.test(config) || config.includes(';'))) return send(config, values)
    return (named(config, values) as Promise<unknown>).catch((error: unknown) => {
      const name = names.peek(config)
      if (name !== undefined && parsed[name] === undefined) {
        // Never parsed (a syntax error, a lost connection): nothing to deallocate; the next run parses it anew.
        names.delete(config)
      }
      if (!stale(error)) throw error
      // 26000: the server forgot every statement of this connection. 0A000: only this one is known to be
      // stale; others reading the same tables meet the same error on their next run and are dropped then.
      if ((error as { code?: string }).code === '26000') forgetAll()
      let dropped: Promise<void> | undefined
      if (name !== undefined && names.peek(config) === name) {
        names.delete(config)
        dropped = drop(name)
      }
      // Outside a transaction the failed statement did nothing: run it again, prepared anew.
      const retry = client.getTransactionStatus?.() === 'I'
      return (dropped ?? Promise.resolve()).then(() => {
        if (!retry) throw error
        return named(config, values)
      })
    })
  }
}
