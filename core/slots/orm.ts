import { token } from '../container/token.js'

/**
 * One request's unit of work: an identity map plus the pending changes, and
 * the transaction they may run in. The method names are MikroORM's
 * `EntityManager`'s, so a MikroORM fork satisfies this as it is; another ORM
 * wraps its session or unit of work in these six methods.
 *
 * Everything else a handler does with it (find, persist, query builders) is
 * the ORM's own API, reached through the implementation's typed token (for
 * MikroORM, `Em` from `dovetailjs/components/orm/mikro-orm`).
 */
export interface UnitOfWork {
  /** Write the pending changes (inside the open transaction, if there is one). */
  flush(): Promise<void>
  /** Open a transaction; every query of this unit of work runs in it until commit or rollback. */
  begin(): Promise<void>
  /** Flush, then commit the open transaction. */
  commit(): Promise<void>
  /** Roll back the open transaction and forget its pending changes. */
  rollback(): Promise<void>
  isInTransaction(): boolean
  /** Forget every loaded entity and pending change. */
  clear(): void
}

/** The SQL dialects the slot speaks of; `Orm.dialect` says which one is in use. */
export type OrmDialect = 'sqlite' | 'postgresql' | 'mysql' | 'mariadb'

/** A table a component keeps itself, as {@link Orm.ownTables} recorded it. */
export interface OwnedTable {
  /** The table's name, unqualified, as the component's SQL names it. */
  readonly name: string
  /** Who keeps it: the declaring component's name, shown in messages. */
  readonly owner: string
}

/**
 * The orm slot's contract (version 1): the app-wide handle on a database
 * through an ORM. It is a singleton; per-request work goes through the
 * request-scoped {@link Db}.
 *
 * An implementation must provide:
 * - `fork()`: a fresh {@link UnitOfWork} sharing nothing (identity map,
 *   transaction) with any other; the component registers `Db` as a scoped
 *   service built from it, so each request gets its own;
 * - `createSchema()`, `updateSchema()`, `dropSchema()`: bring the database's
 *   tables in line with the entities, from code (for tests and prototypes);
 * - `migrate()`: run pending migrations up, returning their names in order;
 * - `isUniqueViolation(error)`: whether an error thrown by `flush`/`commit`
 *   is a unique-constraint violation (the transaction middleware answers 409);
 * - `execute(sql, params, within?)`: a raw query with `?` placeholders, for
 *   components that keep a table of their own (a SQL session store). It runs
 *   on its own connection, or in `within` (a request's `Db`) and so in that
 *   request's transaction. On SQLite, with its single connection, a query not
 *   `within` waits while a transaction holds the connection: inside a request
 *   that may have one open, pass its `Db`;
 * - `close()`: release every connection. The component calls it from its
 *   `stop()`, so `app.close()` closes the database.
 *
 * And, optionally (a 1.x implementation may lack them, so callers write
 * `orm.ownTables?.(…)`):
 * - `ownTables(owner, tables)`: record tables a component keeps itself
 *   through `execute` (a SQL session store's table). No schema tool of the
 *   ORM may create, alter or drop them: schema updates and drops leave them
 *   alone, and generated migrations never mention them. One table declared by
 *   two different owners is refused; the same declaration twice is not.
 * - `ownedTables()`: what has been declared, in order.
 *
 * Connect in the component's `start()`, not in `register()`: boot failures
 * then surface as `DOVETAIL_ERR_COMPONENT_START` naming the component.
 */
export interface Orm<W extends UnitOfWork = UnitOfWork> {
  /** The implementation's name, e.g. `mikro-orm`. */
  readonly name: string
  readonly dialect: OrmDialect
  /** The ORM library's own object (a `MikroORM` instance), for what the contract does not cover. */
  readonly native: unknown
  fork(): W
  createSchema(): Promise<void>
  /** Create missing tables and columns; never drops anything the entities no longer name. */
  updateSchema(): Promise<void>
  dropSchema(): Promise<void>
  /** Run every pending migration, in order; returns the names of those that ran. */
  migrate(): Promise<string[]>
  isUniqueViolation(error: unknown): boolean
  /** Rows of a query; an empty list for a statement that returns none. */
  execute<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[], within?: W): Promise<Row[]>
  isConnected(): Promise<boolean>
  close(): Promise<void>
  /**
   * Declare tables that a component creates and keeps itself, outside the
   * entities, so that the ORM's schema tools (schema update and drop,
   * migration generation) never touch them. Names are unqualified: the table
   * in the connection's default schema. Call it from the component's
   * `start()`, before it creates the tables; the built-in SQL session store
   * declares its table this way, and a third-party component does the same.
   *
   * @example
   * export const visitLog = defineComponent({
   *   name: 'acme-visit-log', slot: 'middleware', contract: '^1.0', requires: ['orm'],
   *   async start(app) {
   *     const orm = app.resolve(Orm)
   *     orm.ownTables?.('acme-visit-log', ['acme_visits'])
   *     await orm.execute('create table if not exists acme_visits (path varchar(200) not null, at bigint not null)')
   *   },
   *   middleware: (app) => async (ctx, next) => {
   *     await app.resolve(Orm).execute('insert into acme_visits (path, at) values (?, ?)', [ctx.path, Date.now()])
   *     return next()
   *   },
   * })
   */
  ownTables?(owner: string, tables: readonly string[]): void
  /** The tables declared with {@link Orm.ownTables}, in order of declaration. */
  ownedTables?(): readonly OwnedTable[]
}

/**
 * The app-wide ORM handle (singleton).
 *
 * @example
 * const app = await createApp(config)
 * await app.resolve(Orm).migrate()
 */
export const Orm = token<Orm>('Orm')

/**
 * This request's unit of work (scoped): a fork of the ORM made on first use in
 * a request and dropped when the response is ready, so two requests never
 * share loaded entities. An implementation exports the same token under a
 * type of its own (`Em` for MikroORM) to reach the ORM's full API.
 *
 * @example
 * r.post('/things', async (ctx) => {
 *   const db = ctx.resolve(Db)
 *   // ... create entities through the ORM's API ...
 *   await db.flush()
 *   return ctx.text('saved', { status: 201 })
 * })
 */
export const Db = token<UnitOfWork>('Db')
