import { DefaultConnectionProvider, DefaultQueryExecutor, type Dialect, Kysely, type MigrationResultSet, Migrator } from 'kysely'
import type { DovetailError, Logger, Orm, OrmDialect, OwnedTable } from '../../../core/index.js'
import { type Connection, locationOf, openFailed, OrmNotStarted, OutageLog, OwnedTables } from '../../../core/orm-kit/index.js'
import { buildDialect, type Canceller } from './dialects.js'
import { GuardedDriver } from './guarded-driver.js'
import { ComponentMigrations } from './migrations.js'
import type { KyselySettings } from './options.js'
import { compileRaw } from './placeholders.js'
import { DeclaredSchema } from './schema.js'
import { isUniqueViolation } from './unique-violation.js'
import { KyselyWork } from './unit-of-work.js'

/** Executed and pending migrations, by name, oldest first. */
export interface MigrationStatus {
  executed: string[]
  pending: string[]
}

interface Live {
  db: Kysely<any>
  dialect: Dialect
  driver: GuardedDriver
  executor: DefaultQueryExecutor
  canceller: Canceller | undefined
}

/**
 * The orm slot's contract on Kysely. It connects in the component's
 * `start()` and disconnects in its `stop()`; `fork()` gives one unit of work
 * per request (a {@link KyselyWork}, itself a `Kysely` instance), and
 * `native` is the app-wide `Kysely` instance, whose queries each take a
 * pooled connection of their own.
 *
 * @example
 * const orm = app.resolve(KyselyOrm)
 * await orm.migrate()
 * const pages = await orm.native.selectFrom('page').selectAll().execute()
 */
export class KyselyHandle implements Orm<KyselyWork> {
  readonly name = 'kysely'
  readonly dialect: OrmDialect
  readonly #settings: KyselySettings
  readonly #connection: Connection
  readonly #logger: Logger
  readonly #outages: OutageLog
  readonly #owned = new OwnedTables()
  readonly #schema: DeclaredSchema
  #live: Live | undefined
  #state: 'new' | 'open' | 'closed' = 'new'

  constructor(settings: KyselySettings, connection: Connection, logger: Logger) {
    this.#settings = settings
    this.#connection = connection
    this.#logger = logger
    this.dialect = connection.dialect
    this.#outages = new OutageLog({ logger, component: 'orm/kysely', dialect: this.dialect, location: this.location, retryAfter: settings.retryAfter })
    this.#schema = new DeclaredSchema(settings.tables, this.dialect, (table) => this.#owned.has(table))
  }

  /** The app-wide `Kysely` instance: each query on a pooled connection of its own. */
  get native(): Kysely<any> {
    return this.#open().db
  }

  /** Where the ORM connects: a SQLite file path, or the URL with its password masked. */
  get location(): string {
    return locationOf(this.#connection)
  }

  /** Connect (a first query proves the database answers). Called by the component's `start()`; safe to call twice. */
  async open(): Promise<void> {
    if (this.#state === 'open') return
    if (this.#state === 'closed') throw notStarted('open() after close()')
    const s = this.#settings
    let driver: GuardedDriver | undefined
    try {
      const { dialect, canceller } = await buildDialect(this.#connection, s)
      // Kysely's own parts, put together as `new Kysely({ dialect })` does, but with the driver
      // guarded for availability: units of work share the driver and executor, each with a
      // connection provider of its own (unit-of-work.ts).
      driver = new GuardedDriver(dialect.createDriver(), this.#outages, s.acquireTimeout, s.debug ? (sql, ms) => this.#logQuery(sql, ms) : undefined)
      const executor = new DefaultQueryExecutor(dialect.createQueryCompiler(), dialect.createAdapter(), new DefaultConnectionProvider(driver), [])
      await driver.init()
      const db = new Kysely<any>({ config: { dialect }, dialect, driver, executor })
      this.#live = { db, dialect, driver, executor, canceller }
      await db.executeQuery(compileRaw('select 1', [], this.dialect))
    } catch (error) {
      this.#live = undefined
      await driver?.destroy().catch(() => {})
      throw openFailed(this.#connection, error)
    }
    this.#state = 'open'
  }

  /**
   * A fresh unit of work. Given a request's signal (`Db` gives it
   * `ctx.signal`), its queries stop with the request: once the signal has
   * aborted no query starts, one running is cancelled where the database
   * allows it, and a commit is refused, so a request answered 503 never writes.
   */
  fork(signal?: AbortSignal): KyselyWork {
    const { dialect, driver, executor, canceller } = this.#open()
    return new KyselyWork({ dialect, driver, executor, canceller, outages: this.#outages, signal })
  }

  async createSchema(): Promise<void> {
    this.#warnOwnedDeclared()
    await this.#schema.create(this.#open().db)
  }

  async updateSchema(): Promise<void> {
    this.#warnOwnedDeclared()
    await this.#schema.update(this.#open().db)
  }

  async dropSchema(): Promise<void> {
    await this.#schema.drop(this.#open().db)
  }

  async migrate(): Promise<string[]> {
    return ran(await this.#migrator().migrateToLatest())
  }

  /** Undo the last executed migration; returns its name, or nothing when none ran. */
  async migrateDown(): Promise<string[]> {
    return ran(await this.#migrator().migrateDown())
  }

  async migrationStatus(): Promise<MigrationStatus> {
    const all = await this.#migrator().getMigrations()
    return { executed: all.filter((m) => m.executedAt).map((m) => m.name), pending: all.filter((m) => !m.executedAt).map((m) => m.name) }
  }

  ownTables(owner: string, tables: readonly string[]): void {
    this.#owned.declare(owner, tables)
  }

  ownedTables(): readonly OwnedTable[] {
    return this.#owned.list()
  }

  isUniqueViolation(error: unknown): boolean {
    return isUniqueViolation(error)
  }

  async execute<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], within?: KyselyWork): Promise<Row[]> {
    const db = within ?? this.#open().db
    const { rows } = await db.executeQuery<Row>(compileRaw(sql, params, this.dialect))
    return [...rows]
  }

  async isConnected(): Promise<boolean> {
    if (!this.#live) return false
    try {
      await this.#live.db.executeQuery(compileRaw('select 1', [], this.dialect))
      return true
    } catch {
      return false
    }
  }

  /** Release every connection. Called by the component's `stop()`, so `app.close()` closes the database. */
  async close(): Promise<void> {
    const live = this.#live
    this.#live = undefined
    this.#state = 'closed'
    await live?.db.destroy()
  }

  #migrator(): Migrator {
    const m = this.#settings.migrations
    return new Migrator({
      db: this.#open().db,
      provider: new ComponentMigrations(m.list ? { list: m.list } : { folder: m.folder ?? './migrations' }),
      migrationTableName: m.tableName,
      migrationLockTableName: `${m.tableName}_lock`,
    })
  }

  /** A declared table a component keeps itself is left to it: say so once. */
  #warnOwnedDeclared(): void {
    for (const table of Object.keys(this.#settings.tables)) {
      const owned = this.#owned.get(table)
      if (owned) {
        this.#logger.warn(
          { component: 'orm/kysely', table: owned.name, owner: owned.owner },
          `the tables option declares ${owned.name}, which component '${owned.owner}' keeps: the schema tools leave it to that component`,
        )
      }
    }
  }

  #logQuery(sql: string, ms: number): void {
    this.#logger.info({ component: 'orm/kysely', ms: Math.round(ms * 1000) / 1000 }, sql)
  }

  #open(): Live {
    if (this.#live) return this.#live
    throw notStarted(this.#state === 'closed' ? 'the app was closed' : 'the component has not started yet')
  }
}

/** The migrations a run executed, in order; a failed one throws its error (the others in its transaction are undone where the database can). */
function ran({ error, results = [] }: MigrationResultSet): string[] {
  if (error) {
    const failed = results.find((r) => r.status === 'Error')
    throw new Error(`migration ${failed ? `${failed.migrationName} ` : ''}failed: ${(error as Error)?.message ?? error}`, { cause: error })
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

const notStarted = (why: string): DovetailError =>
  OrmNotStarted(`Component 'orm/kysely' is not connected (${why}). Use the ORM from a request, or after createApp() resolves and before app.close().`)
