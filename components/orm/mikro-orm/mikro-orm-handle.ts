import { mkdir } from 'node:fs/promises'
import { dirname, resolve as resolvePath } from 'node:path'
import { MikroORM, type Options, UniqueConstraintViolationException } from '@mikro-orm/core'
import type { AbstractSqlDriver, SqlEntityManager } from '@mikro-orm/knex'
import type { DovetailError, Logger, Orm, OrmDialect } from '../../../core/index.js'
import { type Connection, redact } from './connection.js'
import { OrmNotStarted } from './errors.js'
import { loadDriver, loadMigrator } from './load-packages.js'
import type { MikroOrmSettings } from './options.js'

type SqlOrm = MikroORM<AbstractSqlDriver, SqlEntityManager>

/** A generated migration: the file written, or none when the schema is already up to date. */
export interface CreatedMigration {
  /** The file's name, or `''` when there was nothing to migrate. */
  fileName: string
  /** SQL statements of the `up` step. */
  up: string[]
}

/** A migration in the migrations table or still waiting to run. */
export interface MigrationStatus {
  executed: string[]
  pending: string[]
}

/**
 * The orm slot's contract on MikroORM 6. It connects in the component's
 * `start()` and disconnects in its `stop()`; everything in between goes
 * through `fork()`, one unit of work per request, so no identity map is ever
 * shared. Beyond the contract it generates migrations and lists their state
 * (what the command line needs), and `native` is the `MikroORM` instance.
 *
 * @example
 * const orm = app.resolve(MikroOrm)
 * await orm.migrate()
 * const em = orm.fork()
 * const pages = await em.find(Page, {})
 */
export class MikroOrmHandle implements Orm<SqlEntityManager> {
  readonly name = 'mikro-orm'
  readonly dialect: OrmDialect
  readonly #settings: MikroOrmSettings
  readonly #connection: Connection
  readonly #logger: Logger
  #orm: SqlOrm | undefined
  #state: 'new' | 'open' | 'closed' = 'new'

  constructor(settings: MikroOrmSettings, connection: Connection, logger: Logger) {
    this.#settings = settings
    this.#connection = connection
    this.#logger = logger
    this.dialect = connection.dialect
  }

  /** The `MikroORM` instance, for what this handle does not wrap. */
  get native(): SqlOrm {
    return this.#live()
  }

  /** Where the ORM connects: a SQLite file path, or the URL with its password masked. */
  get location(): string {
    const { dialect, target } = this.#connection
    return dialect === 'sqlite' ? target : redact(target)
  }

  /** Connect. Called by the component's `start()`; safe to call twice. */
  async open(): Promise<void> {
    if (this.#state === 'open') return
    if (this.#state === 'closed') throw notStarted('open() after close()')
    const { dialect, target } = this.#connection
    if (dialect === 'sqlite' && isLocalFile(target)) await mkdir(dirname(resolvePath(target)), { recursive: true })
    const s = this.#settings
    const options: Options = {
      driver: await loadDriver(dialect),
      ...(dialect === 'sqlite' ? { dbName: target } : { clientUrl: dialect === 'mariadb' ? target.replace(/^mariadb:/i, 'mysql:') : target }),
      entities: [...s.entities],
      discovery: { warnWhenNoEntities: false },
      // Every request works on its own fork; the global manager stays off limits.
      allowGlobalContext: false,
      debug: s.debug,
      colors: false,
      logger: (message) => this.#logger.info({ component: 'orm/mikro-orm' }, message),
      // Our own import(), so migration files load through whatever runs the app (tsx, vitest, plain node).
      dynamicImportProvider: (id) => import(id),
      migrations: {
        path: s.migrations.path,
        tableName: s.migrations.tableName,
        snapshot: s.migrations.snapshot,
        // One name, not MikroORM's one per database name, which leaves a file per test database behind.
        snapshotName: '.schema-snapshot',
        ...(s.migrations.list ? { migrationsList: [...s.migrations.list] } : {}),
      },
      ...(s.pool ? { pool: s.pool } : {}),
      ...s.mikroOrm,
      // knex warns on its own (MySQL's implicit commits after DDL, say); send that to the app's logger too.
      driverOptions: { log: this.#knexLog(), ...(s.mikroOrm.driverOptions as object | undefined) },
    }
    try {
      this.#orm = (await MikroORM.init(options)) as unknown as SqlOrm
    } catch (error) {
      const { source } = this.#connection
      throw new Error(
        `could not open the ${dialect} database at ${this.location} (from ${source}): ${(error as Error)?.message ?? error}. ` +
          `Check that the server is up and the URL (option 'url' or DATABASE_URL) is right.`,
        { cause: error },
      )
    }
    this.#state = 'open'
  }

  fork(): SqlEntityManager {
    return this.#live().em.fork()
  }

  async createSchema(): Promise<void> {
    await this.#live().schema.createSchema()
  }

  /** Create what is missing; `safe` so that tables and columns the entities don't name (another app's, say) stay. */
  async updateSchema(): Promise<void> {
    await this.#live().schema.updateSchema({ safe: true })
  }

  /** Drop the entities' tables (and no others). */
  async dropSchema(): Promise<void> {
    await this.#live().schema.dropSchema()
  }

  async migrate(): Promise<string[]> {
    const done = await (await this.#migrator()).up()
    return done.map((m) => m.name)
  }

  /** Undo the last executed migration; returns its name, or nothing when none ran. */
  async migrateDown(): Promise<string[]> {
    const undone = await (await this.#migrator()).down()
    return undone.map((m) => m.name)
  }

  async migrationStatus(): Promise<MigrationStatus> {
    const migrator = await this.#migrator()
    // One after the other: each creates the migrations table when missing, and two at once would both try.
    const executed = await migrator.getExecutedMigrations()
    const pending = await migrator.getPendingMigrations()
    return { executed: executed.map((m) => m.name), pending: pending.map((m) => m.name) }
  }

  /**
   * Write a migration file for the difference between the entities and the
   * last migration's schema snapshot (the first one diffs against the database).
   */
  async createMigration(options: { name?: string; blank?: boolean } = {}): Promise<CreatedMigration> {
    const created = await (await this.#migrator()).createMigration(undefined, options.blank ?? false, false, options.name)
    return { fileName: created.fileName, up: created.diff.up }
  }

  isUniqueViolation(error: unknown): boolean {
    // Walk the cause chain: another layer may have wrapped the driver's error.
    for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
      if (e instanceof UniqueConstraintViolationException) return true
    }
    return false
  }

  async execute<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], within?: SqlEntityManager): Promise<Row[]> {
    const rows = await (within ?? this.fork()).execute(sql, [...params])
    // MySQL answers a write with a result header, not rows.
    return (Array.isArray(rows) ? rows : []) as Row[]
  }

  async isConnected(): Promise<boolean> {
    return this.#orm ? this.#orm.isConnected() : false
  }

  /** Release every connection. Called by the component's `stop()`, so `app.close()` closes the database. */
  async close(): Promise<void> {
    const orm = this.#orm
    this.#orm = undefined
    this.#state = 'closed'
    await orm?.close(true)
  }

  #knexLog() {
    const fields = { component: 'orm/mikro-orm', source: 'knex' }
    const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message))
    return {
      warn: (message: unknown) => this.#logger.warn(fields, text(message)),
      error: (message: unknown) => this.#logger.error(fields, text(message)),
      deprecate: (message: unknown) => this.#logger.warn(fields, text(message)),
      debug: (message: unknown) => this.#logger.debug(fields, text(message)),
    }
  }

  async #migrator() {
    const orm = this.#live()
    await loadMigrator(orm)
    return orm.migrator
  }

  #live(): SqlOrm {
    if (this.#orm) return this.#orm
    throw notStarted(this.#state === 'closed' ? 'the app was closed' : 'the component has not started yet')
  }
}

const isLocalFile = (target: string): boolean => target !== ':memory:' && !/^[a-z][a-z0-9+.-]+:\/\//i.test(target)

const notStarted = (why: string): DovetailError =>
  OrmNotStarted(
    `Component 'orm/mikro-orm' is not connected (${why}). Use the ORM from a request, or after createApp() resolves and before app.close().`,
  )
