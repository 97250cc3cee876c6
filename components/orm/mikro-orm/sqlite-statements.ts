import type { Configuration, Constructor, IDatabaseDriver } from '@mikro-orm/core'
import type { Knex } from '@mikro-orm/knex'
import { RecentlyUsed } from '../../../core/orm-kit/index.js'

type LibSql = typeof import('@mikro-orm/libsql')

/** A libsql prepared statement, as knex's dialect uses it. */
interface Statement {
  all(bindings: unknown[]): unknown
  run(bindings: unknown[]): { lastInsertRowid?: unknown; changes?: unknown }
}
/** A libsql connection (`Database`), as knex's pool lends it. */
interface RawDatabase {
  prepare(sql: string): Statement
}

// Per connection, so a connection the pool replaces takes its statements with it.
const caches = new WeakMap<RawDatabase, RecentlyUsed<Statement>>()

/**
 * The connection's statement for `sql`, prepared once and kept, the most
 * recently used `size` of them. SQLite prepares a kept statement again by itself
 * when the schema has changed since (DDL, a migration), so it stays correct.
 */
function statementFor(connection: RawDatabase, sql: string, size: number): Statement {
  let cache = caches.get(connection)
  if (cache === undefined) caches.set(connection, (cache = new RecentlyUsed(size)))
  let statement = cache.get(sql)
  if (statement === undefined) cache.set(sql, (statement = connection.prepare(sql)))
  return statement
}

/**
 * Whether every parameter binds to what MikroORM's inlined literal means:
 * strings, null, and finite numbers other than whole ones beyond 2^53 (a
 * whole number is bound as an INTEGER by `integersAsIntegers`, as its literal
 * reads). Anything else (booleans, dates, buffers, objects) keeps MikroORM's
 * own formatting.
 */
function bindable(params: readonly unknown[]): boolean {
  for (const value of params) {
    if (typeof value === 'string' || value === null) continue
    if (typeof value === 'number' && Number.isFinite(value) && (Number.isSafeInteger(value) || !Number.isInteger(value))) continue
    return false
  }
  return true
}

/**
 * libsql binds every JS number as a REAL, where the literal `5` is an
 * INTEGER (stored in a TEXT column, a REAL reads `5.0`): whole numbers go as
 * BigInt, which it binds as INTEGER. Done here, at the last moment, so that
 * knex's error messages, which format the bindings, still see numbers.
 */
function integersAsIntegers(bindings: unknown[]): unknown[] {
  for (let i = 0; i < bindings.length; i++) {
    const value = bindings[i]
    if (typeof value === 'number' && Number.isSafeInteger(value)) bindings[i] = BigInt(value)
  }
  return bindings
}

/** What MikroORM's SQL connection keeps protected or private and this file calls. */
interface ConnectionInternals {
  config: Configuration
  client: Knex
  connected: boolean
  platform: { formatQuery(sql: string, params: readonly unknown[]): string }
  ensureConnection(): Promise<void>
  createKnexClient(type: unknown): Knex
  getSql(query: string, formatted: string, context?: unknown): string
  executeQuery<T>(query: string, run: () => Promise<T>, context?: unknown): Promise<T>
  transformRawResult<T>(res: unknown, method: 'all' | 'get' | 'run'): T
}

/**
 * MikroORM's libsql driver, with each connection keeping its prepared
 * statements (`size` of them, the most recently used; 0 keeps none).
 *
 * MikroORM writes every parameter into the SQL text before knex sees it
 * (`platform.formatQuery`), so no two lookups by id share a statement and a
 * cache keyed by SQL would only ever hit constant queries. This driver's
 * connection hands knex the SQL with its `?` placeholders and the values as
 * bindings instead, when every value binds to what its literal meant
 * (`bindable`); knex's libsql dialect then takes the statement from the
 * connection's cache instead of preparing it each time. A statement that
 * failed is dropped from the cache (the next use prepares it afresh).
 *
 * Built from the loaded `@mikro-orm/libsql` (an optional peer dependency)
 * through its public classes: the driver, its connection and knex dialect.
 */
export function libsqlDriverWithStatementCache(libsql: LibSql, size: number): Constructor<IDatabaseDriver> {
  const { AbstractSqlDriver, LibSqlConnection, LibSqlKnexDialect, LibSqlPlatform } = libsql

  class CachingDialect extends LibSqlKnexDialect {
    override async _query(connection: RawDatabase, obj: { sql: string; bindings?: unknown[]; response?: unknown; context?: unknown }): Promise<unknown> {
      if (!obj.sql) throw new Error('The query is empty')
      // knex's and MikroORM's own helpers (the second is private in its types).
      const dialect = this as unknown as { getCallMethod(obj: unknown): 'all' | 'run'; _formatBindings(bindings: unknown): unknown[] }
      const statement = statementFor(connection, obj.sql, size)
      let response: ReturnType<Statement['run']>
      try {
        response = statement[dialect.getCallMethod(obj)](integersAsIntegers(dialect._formatBindings(obj.bindings))) as ReturnType<Statement['run']>
      } catch (error) {
        caches.get(connection)?.delete(obj.sql)
        throw error
      }
      obj.response = response
      obj.context = { lastID: response.lastInsertRowid, changes: response.changes }
      return obj
    }
  }

  class CachingConnection extends LibSqlConnection {
    override createKnex(): void {
      const self = this as unknown as ConnectionInternals
      self.client = self.createKnexClient(CachingDialect)
      self.connected = true
    }

    /** As MikroORM's `execute`, with the values as bindings when they bind as their literals would read. */
    override async execute<T = unknown>(queryOrKnex: string | Knex.QueryBuilder | Knex.Raw, params: unknown[] = [], method: 'all' | 'get' | 'run' = 'all', ctx?: unknown, loggerContext?: Record<string, unknown>): Promise<T> {
      if (typeof queryOrKnex !== 'string' || !bindable(params)) return super.execute(queryOrKnex, params as never[], method, ctx as never, loggerContext) as Promise<T>
      const self = this as unknown as ConnectionInternals
      await self.ensureConnection()
      const sql = self.config.get('onQuery')(queryOrKnex as string, params)
      // Formatted only for the log, and only when it shows queries.
      const logged = self.config.getLogger().isEnabled('query', loggerContext) ? self.getSql(sql, self.platform.formatQuery(sql, params), loggerContext) : sql
      return self.executeQuery(
        logged,
        async () => {
          const query = self.client.raw(sql, params as Knex.RawBinding[])
          if (ctx) query.transacting(ctx as Knex.Transaction)
          return self.transformRawResult<T>(await query, method)
        },
        { query: sql, params, ...loggerContext },
      )
    }
  }

  class CachingLibSqlDriver extends AbstractSqlDriver {
    constructor(config: Configuration) {
      super(config, new LibSqlPlatform(), CachingConnection as never, ['knex', 'libsql'])
    }
  }
  return CachingLibSqlDriver as unknown as Constructor<IDatabaseDriver>
}
