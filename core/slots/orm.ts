import { token } from '../container/token.js'

/**
 * One request's unit of work: the transaction its queries run in, and for an
 * ORM that holds changes back (an identity map with pending changes, as
 * MikroORM's `EntityManager`), those changes. Either kind satisfies it:
 * - an ORM that holds changes back writes them on `flush()` (and `commit()`),
 *   and forgets them on `rollback()` and `clear()`;
 * - an ORM that writes each change at once (a query builder such as Kysely)
 *   has nothing held back: `flush()` and `clear()` have nothing to do, and
 *   what a transaction wrote is undone by `rollback()` all the same.
 * So a caller that wants its changes written calls `flush()` (or commits),
 * and never counts on a change staying unwritten until then.
 *
 * Everything else a handler does with it (find, persist, query builders) is
 * the ORM's own API, reached through the implementation's typed token (`Em`
 * from `dovetailjs/components/orm/mikro-orm`, `Kdb` from
 * `dovetailjs/components/orm/kysely`).
 */
export interface UnitOfWork {
  /** Write what this unit of work holds back, if anything (inside the open transaction, if there is one). */
  flush(): Promise<void>
  /**
   * Start a transaction; every query of this unit of work runs in it until
   * commit or rollback. An implementation may open it lazily, on the first
   * query, so that a request that begins one and never queries takes no
   * connection.
   */
  begin(): Promise<void>
  /** Flush, then commit the transaction. */
  commit(): Promise<void>
  /** Roll back the transaction (undoing what it wrote) and forget what the unit holds back. */
  rollback(): Promise<void>
  /** Whether `begin()` was called and neither `commit()` nor `rollback()` since. */
  isInTransaction(): boolean
  /** Forget what the unit holds: loaded entities and pending changes (nothing, for an ORM that keeps none). */
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
 * The orm slot's contract (version 2): the app-wide handle on a database
 * through an ORM. It is a singleton; per-request work goes through the
 * request-scoped {@link Db}.
 *
 * An implementation must provide:
 * - `fork()`: a fresh {@link UnitOfWork} sharing nothing (identity map,
 *   transaction) with any other; the component registers `Db` as a scoped
 *   service built from it, so each request gets its own;
 * - `createSchema()`, `updateSchema()`, `dropSchema()`: bring the database's
 *   tables in line with the tables the app declared to the ORM (MikroORM's
 *   entities, Kysely's `tables` option), from code (for tests and prototypes);
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
 *   `stop()`, so `app.close()` closes the database;
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
  /** The ORM library's own object (a `MikroORM` instance, a `Kysely` instance), for what the contract does not cover. */
  readonly native: unknown
  fork(): W
  createSchema(): Promise<void>
  /** Create missing tables and columns; never drops anything the declared tables no longer name. */
  updateSchema(): Promise<void>
  dropSchema(): Promise<void>
  /** Run every pending migration, in order; returns the names of those that ran. */
  migrate(): Promise<string[]>
  /** Optional: undo the last executed migration; returns its name, or nothing when none ran (`dovetail db migrate:down`). */
  migrateDown?(): Promise<string[]>
  /** Optional: the executed and the pending migrations by name, oldest first (`dovetail db migration:status`). */
  migrationStatus?(): Promise<{ executed: string[]; pending: string[] }>
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
   *     orm.ownTables('acme-visit-log', ['acme_visits'])
   *     await orm.execute('create table if not exists acme_visits (path varchar(200) not null, at bigint not null)')
   *   },
   *   middleware: (app) => async (ctx, next) => {
   *     await app.resolve(Orm).execute('insert into acme_visits (path, at) values (?, ?)', [ctx.path, Date.now()])
   *     return next()
   *   },
   * })
   */
  ownTables(owner: string, tables: readonly string[]): void
  /** The tables declared with {@link Orm.ownTables}, in order of declaration. */
  ownedTables(): readonly OwnedTable[]
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
 * share loaded entities or a transaction. An implementation exports the same
 * token under a type of its own (`Em` for MikroORM, `Kdb` for Kysely) to reach
 * the ORM's full API.
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
