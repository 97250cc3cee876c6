import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { type Constructor, type EntityProperty, EnumType, type IMigrator, JsonType, MikroORM, type Options, type Transaction, Type, UniqueConstraintViolationException } from '@mikro-orm/core'
import { type AbstractSqlDriver, type DatabaseSchema, SchemaComparator, type SchemaDifference, type SqlEntityManager } from '@mikro-orm/knex'
import { DovetailError, type Logger, type Orm, type OrmDialect, type OwnedTable } from '../../../core/index.js'
import { type Connection, driverMessage, locationOf, openFailed, OrmNotStarted, OutageLog, OwnedTables } from '../../../core/orm-kit/index.js'
import { OrmMigrationNotPortable } from './errors.js'
import { loadDriver, loadMigrator } from './load-packages.js'
import { checkMigrationName, type UnlistedMigration, unlistedMigrations } from './migration-files.js'
import { type MigrationLike, migrationListSchema, type MikroOrmSettings } from './options.js'
import { addSqliteBlindSpots, type Sizes, writePortableMigration } from './portable-migration.js'
import { cancelOnAbort, connectionsOf, guardQueries, type QueryGuardHooks, RequestQueries, requestKey } from './request-queries.js'
import { type DovetailEntityManager, dovetailEntityManager, openLazyTransactions } from './unit-of-work.js'

type SqlOrm = MikroORM<AbstractSqlDriver, SqlEntityManager>

/** A generated migration: the file written, or none when the schema is already up to date. */
export interface CreatedMigration {
  /** The file's name, or `''` when there was nothing to migrate. */
  fileName: string
  /** The migration class the file declares (what `migrations.list` must hold to run it), or `''`. */
  className: string
  /** The file's absolute path, or `''`. */
  path: string
  /**
   * What the `up` step does on the database it was diffed against, as
   * MikroORM's SQL for that database (for display: the file holds portable
   * schema-builder calls, not this SQL).
   */
  up: string[]
  /** What to know about the file written: a `down` left out and why, a column type written as the entity declares it. */
  notes: string[]
}

// MikroORM keeps these to itself (private or protected); migration:create
// needs the same diff MikroORM's own generator makes, so it calls them.
interface SchemaGeneratorInternals {
  ensureDatabase(): Promise<boolean>
  prepareSchemaForComparison(options: { fromSchema?: DatabaseSchema | undefined }): Promise<{ fromSchema: DatabaseSchema; toSchema: DatabaseSchema }>
  diffToSQL(diff: SchemaDifference, options: { wrap: boolean; safe: boolean; dropTables: boolean }): Promise<string>
}
interface MigratorInternals {
  getSchemaFromSnapshot(): DatabaseSchema | undefined
  storeCurrentSchema(): Promise<void>
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
  /** Declared tables (the kit's rules: one owner each, names compared case-insensitively). */
  readonly #owned = new OwnedTables()
  /** `schemaGenerator.skipTables` as the app's own MikroORM options set it, before the owned tables join. */
  #skipTables: Array<string | RegExp> = []
  readonly #warnedEntities = new Set<string>()
  /** Each property's sizes as discovery left them, before a schema build fills in this database's defaults. */
  readonly #declared = new WeakMap<EntityProperty, Sizes>()
  readonly #hooks: QueryGuardHooks

  constructor(settings: MikroOrmSettings, connection: Connection, logger: Logger) {
    this.#settings = settings
    this.#connection = connection
    this.#logger = logger
    this.dialect = connection.dialect
    // Outages reported once at warn, once at info when the database is back; cancelled queries at info.
    const outages = new OutageLog({ logger, component: 'orm/mikro-orm', dialect: this.dialect, location: this.location, retryAfter: settings.retryAfter })
    this.#hooks = {
      dialect: this.dialect,
      unavailable: (error, outage) => outages.unavailable(error, outage),
      answered: () => outages.answered(),
      cancelled: (reason, how, error) => outages.cancelled(reason, how, error),
    }
  }

  /** The `MikroORM` instance, for what this handle does not wrap. */
  get native(): SqlOrm {
    return this.#live()
  }

  /** Where the ORM connects: a SQLite file path, or the URL with its password masked. */
  get location(): string {
    return locationOf(this.#connection)
  }

  /** Connect. Called by the component's `start()`; safe to call twice. */
  async open(): Promise<void> {
    if (this.#state === 'open') return
    if (this.#state === 'closed') throw notStarted('open() after close()')
    const { dialect, target } = this.#connection
    if (dialect === 'sqlite' && isLocalFile(target)) await mkdir(dirname(resolvePath(target)), { recursive: true })
    const s = this.#settings
    const options: Options = {
      driver: await loadDriver(dialect, s.statementCacheSize),
      ...(dialect === 'sqlite' ? { dbName: target } : { clientUrl: dialect === 'mariadb' ? target.replace(/^mariadb:/i, 'mysql:') : target }),
      entities: [...s.entities],
      discovery: { warnWhenNoEntities: false },
      // Every request works on its own fork; the global manager stays off limits.
      allowGlobalContext: false,
      debug: s.debug,
      colors: false,
      logger: (message) => this.#logger.info({ component: 'orm/mikro-orm' }, message),
      // How MikroORM imports migration files it finds in migrations.path. This import() runs from
      // this module: in this repository's tests vitest transforms it, so a .ts migration loads, but
      // installed from the package this module is compiled JavaScript in node_modules, which vitest
      // leaves to Node, and Node imports no .ts file ("Unknown file extension"); every file there counts,
      // so a migrations/index.ts would be taken for a migration too. TypeScript projects therefore import
      // their migrations themselves and pass them as migrations.list; a folder alone is for compiled JavaScript.
      dynamicImportProvider: (id) => import(id),
      migrations: {
        path: s.migrations.path,
        tableName: s.migrations.tableName,
        snapshot: s.migrations.snapshot,
        // One name, not MikroORM's one per database name, which leaves a file per test database behind.
        snapshotName: '.schema-snapshot',
        // A loader is called on the migrator's first use (#migrator), not here: see the option's TSDoc.
        ...(Array.isArray(s.migrations.list) ? { migrationsList: [...s.migrations.list] } : {}),
      },
      ...(s.pool ? { pool: s.pool } : {}),
      ...s.mikroOrm,
      // The app's own entity manager class, if it names one, extended with the unit of work's contract (unit-of-work.ts).
      entityManager: dovetailEntityManager(s.mikroOrm.entityManager as Constructor<SqlEntityManager> | undefined),
      driverOptions: this.#driverOptions(),
    }
    try {
      this.#orm = (await MikroORM.init(options)) as unknown as SqlOrm
      for (const meta of Object.values(this.#orm.getMetadata().getAll())) {
        for (const prop of meta.props) this.#declared.set(prop, { length: prop.length, precision: prop.precision, scale: prop.scale })
      }
      this.#skipTables = [...(this.#orm.config.get('schemaGenerator').skipTables ?? [])]
      this.#applyOwned()
      const driver = this.#orm.em.getDriver()
      guardQueries(driver, this.#hooks)
      for (const connection of connectionsOf(driver)) openLazyTransactions(connection)
    } catch (error) {
      throw openFailed(this.#connection, error)
    }
    this.#state = 'open'
  }

  /**
   * A fresh unit of work. Given a request's signal (`Db` gives it
   * `ctx.signal`), its queries stop with the request: once the signal has
   * aborted no query starts, and one running is cancelled (see
   * request-queries.ts); a commit is refused, so a request answered 503
   * never writes. A database that is down or full fails its queries,
   * `begin` and `commit` with a 503 (`ServiceUnavailableError`; see
   * request-queries.ts), with or without a signal.
   */
  fork(signal?: AbortSignal): SqlEntityManager {
    const em = this.#live().em.fork() as DovetailEntityManager
    if (signal === undefined) return em
    // Set after the fork, not through fork({ loggerContext }), which merges it into a copy per fork.
    const request = new RequestQueries(signal)
    em.request = request
    em.setLoggerContext({ [requestKey]: request })
    cancelOnAbort(request, this.#hooks)
    return em
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
    const migrator = await this.#migrator()
    const done = await this.#inMigrationTransaction(migrator, (transaction) => migrator.up(transaction ? { transaction } : undefined))
    return done.map((m) => m.name)
  }

  /** Undo the last executed migration; returns its name, or nothing when none ran. */
  async migrateDown(): Promise<string[]> {
    const migrator = await this.#migrator()
    const undone = await this.#inMigrationTransaction(migrator, (transaction) => migrator.down(transaction ? { transaction } : undefined))
    return undone.map((m) => m.name)
  }

  /**
   * On SQLite, migrations run with foreign keys unchecked, checked once at
   * the end, in the one transaction they all run in. Changing a column or a
   * key there rebuilds the table (a copy, then a drop of the original), and
   * with keys checked the drop fails as soon as rows of another table point
   * at it. SQLite only lets the check be turned off outside a transaction, so
   * it is turned off here, around the transaction MikroORM is given, and the
   * transaction commits only if `foreign_key_check` finds no row pointing at
   * nothing. Elsewhere MikroORM opens its own transaction.
   */
  async #inMigrationTransaction<T>(migrator: IMigrator, run: (transaction?: Transaction) => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return run()
    const connection = this.#live().em.getConnection()
    // MikroORM checks the database and its migrations table before it uses a transaction it is
    // given, on a connection of its own; SQLite has one, which that transaction holds. So the
    // check runs first, and is skipped inside.
    await migrator.getExecutedMigrations()
    const internals = migrator as unknown as { ensureDatabase(): Promise<void> }
    internals.ensureDatabase = async () => {}
    const [{ foreign_keys: was } = { foreign_keys: 0 }] = (await connection.execute('pragma foreign_keys')) as Array<{ foreign_keys: number }>
    if (was) await connection.execute('pragma foreign_keys = off')
    try {
      return await connection.transactional(async (transaction) => {
        const result = await run(transaction)
        const broken = (await connection.execute('pragma foreign_key_check', [], 'all', transaction)) as Array<{ table: string; parent: string }>
        if (was && broken.length) {
          const where = [...new Set(broken.map((b) => `${b.table} -> ${b.parent}`))].join(', ')
          throw new Error(`the migrations would leave rows pointing at nothing (${where}); nothing was migrated. Fix the data or the migration, then run it again.`)
        }
        return result
      })
    } finally {
      delete (internals as Partial<typeof internals>).ensureDatabase
      if (was) await connection.execute('pragma foreign_keys = on')
    }
  }

  async migrationStatus(): Promise<MigrationStatus> {
    const migrator = await this.#migrator()
    // One after the other: each creates the migrations table when missing, and two at once would both try.
    const executed = await migrator.getExecutedMigrations()
    const pending = await migrator.getPendingMigrations()
    return { executed: executed.map((m) => m.name), pending: pending.map((m) => m.name) }
  }

  /**
   * Write a migration for what the entities changed: the difference between
   * them and the database (or, with `migrations.snapshot`, the last
   * snapshot), leaving out the tables components own. The file is written
   * with knex's schema builder and MikroORM's column types looked up when it
   * runs, so it runs on SQLite, PostgreSQL and MySQL/MariaDB alike (see
   * portable-migration.ts). A change that cannot be written so throws
   * `DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE`, naming each one, and writes
   * nothing. `blank` writes an empty migration to fill in by hand.
   *
   * @example
   * const { fileName, notes } = await app.resolve(MikroOrm).createMigration({ name: 'books' })
   */
  async createMigration(options: { name?: string | undefined; blank?: boolean | undefined } = {}): Promise<CreatedMigration> {
    if (options.name !== undefined) checkMigrationName(options.name)
    const orm = this.#live()
    const migrator = (await this.#migrator()) as unknown as MigratorInternals
    const settings = orm.config.get('migrations')
    const folder = this.migrationsFolder
    // Named by the second, as MikroORM names them; a second already taken (two in a row) moves
    // on to the next, so no migration is ever written over another.
    let at = Date.now()
    const stamp = () => new Date(at).toISOString().replace(/[-T:]|\.\d{3}z$/gi, '')
    while (existsSync(join(folder, `${settings.fileName!(stamp(), options.name)}.ts`))) at += 1000
    const timestamp = stamp()
    const className = orm.config.getNamingStrategy().classToMigrationName(timestamp, options.name)
    const fileName = `${settings.fileName!(timestamp, options.name)}.ts`
    if (options.blank) {
      await mkdir(folder, { recursive: true })
      await writeFile(join(folder, fileName), blankMigration(className))
      return { fileName, className, path: join(folder, fileName), up: [], notes: [] }
    }

    this.#applyOwned()
    const generator = orm.schema as unknown as SchemaGeneratorInternals
    await generator.ensureDatabase()
    const mariadb = this.dialect === 'mariadb' || (this.dialect === 'mysql' && /mariadb/i.test(String((await this.execute<{ v: unknown }>('select version() as v'))[0]?.v)))
    const diff = async () => {
      const { fromSchema, toSchema } = await generator.prepareSchemaForComparison({ fromSchema: migrator.getSchemaFromSnapshot() })
      if (mariadb) readMariaDbAsItIs(fromSchema)
      if (this.dialect === 'sqlite') {
        keyForeignKeysByName(fromSchema)
        await this.#readSqliteEnums(fromSchema)
      }
      const comparator = new SchemaComparator(orm.em.getPlatform())
      const up = comparator.compare(fromSchema, toSchema)
      return { fromSchema, toSchema, up, down: comparator.compare(toSchema, fromSchema, up) }
    }
    // MikroORM's SQL for this database decides "nothing to do" as its own generator would (a
    // difference that makes no SQL here is none). It changes the diff it is given, so it gets its own.
    const sql = (await generator.diffToSQL((await diff()).up, { wrap: false, safe: false, dropTables: true }))
      .split(/;\n/)
      .map((statement) => statement.trim())
      .filter(Boolean)
    const { fromSchema, toSchema, up, down } = await diff()
    const source = {
      className,
      up,
      down,
      target: toSchema,
      current: fromSchema,
      entities: Object.values(orm.getMetadata().getAll()),
      declared: (prop: EntityProperty) => this.#declared.get(prop) ?? {},
      platform: orm.em.getPlatform(),
      naming: orm.config.getNamingStrategy(),
      dialect: this.dialect,
    }
    const unseen = this.dialect === 'sqlite' ? addSqliteBlindSpots(source) : 0
    if (sql.length === 0 && unseen === 0) return { fileName: '', className: '', path: '', up: [], notes: [] }
    const written = writePortableMigration(source)
    if (written.problems.length) {
      throw OrmMigrationNotPortable(
        `migration:create wrote nothing: these changes cannot be made by one migration on SQLite, PostgreSQL and MySQL/MariaDB alike:\n` +
          written.problems.map((p) => `  - ${p}`).join('\n') +
          `\nChange the entities as each item says, or write this step by hand: migration:create --blank gives an empty migration ` +
          `to fill with knex's schema builder (see docs/orm.md, "Portable migrations").`,
      )
    }
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, fileName), written.code)
    await migrator.storeCurrentSchema()
    return { fileName, className, path: join(folder, fileName), up: sql, notes: written.notes }
  }

  /** The folder `migrations.path` names, from MikroORM's `baseDir` (the working directory unless set): where `createMigration` writes. */
  get migrationsFolder(): string {
    return resolvePath(this.#live().config.get('baseDir'), this.#settings.migrations.path)
  }

  /** Whether the app gives its migrations in code (`migrations.list`): MikroORM then runs those and never reads the folder. */
  get listsMigrations(): boolean {
    return this.#settings.migrations.list !== undefined
  }

  /**
   * With `migrations.list`, the migration files in the migrations folder that
   * the list leaves out: MikroORM runs only what the list holds, so these
   * would never run (a file `migration:create` wrote and nobody added, say).
   * Empty without a list, when every file found there runs.
   *
   * @example
   * for (const { file, className } of await app.resolve(MikroOrm).unlistedMigrations()) console.warn(`${className} (${file}) is not in migrations.list`)
   */
  async unlistedMigrations(): Promise<UnlistedMigration[]> {
    const list = await this.#migrationList()
    return list ? unlistedMigrations(this.migrationsFolder, list) : []
  }

  /**
   * Record tables a component keeps itself: schema updates and drops leave
   * them alone, and `createMigration` never mentions them (they join
   * MikroORM's `schemaGenerator.skipTables`). A table declared by another
   * owner already is refused with `DOVETAIL_ERR_ORM_TABLE_OWNED`.
   *
   * @example
   * app.resolve(Orm).ownTables?.('acme-visit-log', ['acme_visits'])
   */
  ownTables(owner: string, tables: readonly string[]): void {
    this.#owned.declare(owner, tables)
    this.#applyOwned()
  }

  ownedTables(): readonly OwnedTable[] {
    return this.#owned.list()
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

  /**
   * knex's options: the timeouts in each driver's terms, under what the app
   * gives in `mikroOrm.driverOptions` (which may not set them: options.ts).
   */
  #driverOptions(): Record<string, unknown> {
    const s = this.#settings
    const theirs = (s.mikroOrm.driverOptions ?? {}) as { connection?: Record<string, unknown> }
    const limits =
      this.dialect === 'postgresql'
        ? { connectionTimeoutMillis: s.connectTimeout }
        : this.dialect === 'sqlite'
          ? { timeout: s.busyTimeout }
          : { connectTimeout: s.connectTimeout }
    return {
      // knex warns on its own (MySQL's implicit commits after DDL, say); send that to the app's logger too.
      log: this.#knexLog(),
      acquireConnectionTimeout: s.acquireTimeout,
      ...theirs,
      connection: { ...limits, ...theirs.connection },
    }
  }

  #knexLog() {
    const fields = { component: 'orm/mikro-orm', source: 'knex' }
    const text = (message: unknown) => (typeof message === 'string' ? message : JSON.stringify(message))
    // A pooled connection found dead (or closed here after a cancel) is replaced; an outage that
    // fails queries is reported once by #unavailable, so these are info, one per connection.
    const replaced = (message: string) => message.startsWith('Connection Error:')
    return {
      warn: (message: unknown) =>
        replaced(text(message))
          ? this.#logger.info(fields, `a pooled connection is closed and replaced: ${driverMessage(text(message).replace(/^Connection Error: (Error: )?/, ''))}`)
          : this.#logger.warn(fields, text(message)),
      error: (message: unknown) => this.#logger.error(fields, text(message)),
      deprecate: (message: unknown) => this.#logger.warn(fields, text(message)),
      debug: (message: unknown) => this.#logger.debug(fields, text(message)),
    }
  }

  /**
   * Owned tables join the app's own `skipTables`, which every MikroORM schema
   * tool reads when it runs (the comparison reads the database through it;
   * update, drop and migrations leave those tables out). Names are matched
   * unqualified, so on PostgreSQL a table of that name is skipped in every
   * schema the diff looks at.
   */
  #applyOwned(): void {
    const orm = this.#orm
    if (!orm) return
    orm.config.get('schemaGenerator').skipTables = [...this.#skipTables, ...this.#owned.list().map((t) => t.name)]
    for (const meta of Object.values(orm.getMetadata().getAll())) {
      const owned = meta.tableName ? this.#owned.get(meta.tableName.toLowerCase()) : undefined
      if (!owned || this.#warnedEntities.has(meta.className)) continue
      this.#warnedEntities.add(meta.className)
      this.#logger.warn(
        { component: 'orm/mikro-orm', entity: meta.className, table: owned.name, owner: owned.owner },
        `entity ${meta.className} maps the table ${owned.name}, which component '${owned.owner}' keeps: the schema tools leave it to that component`,
      )
    }
  }

  /**
   * MikroORM reads a SQLite enum's items from its check only as MikroORM
   * wrote it (`text check (…)`); a table knex rebuilt (a portable migration's
   * alter) has `text NOT NULL CHECK (… in(…))`, and the items would read as
   * gone, a change every diff would then make. Read them from the table's SQL.
   */
  async #readSqliteEnums(schema: DatabaseSchema): Promise<void> {
    for (const table of schema.getTables()) {
      const missing = table.getColumns().filter((c) => !c.enumItems?.length && /^text$/i.test(c.type))
      if (missing.length === 0) continue
      const [row] = await this.execute<{ sql: string }>(`select sql from sqlite_master where type = 'table' and name = ?`, [table.name])
      for (const column of missing) {
        const items = sqliteCheckItems(row?.sql ?? '', column.name)
        if (items) Object.assign(column, { enumItems: items, mappedType: Type.getType(EnumType) })
      }
    }
  }

  async #migrator() {
    const orm = this.#live()
    const list = await this.#migrationList()
    // MikroORM's migrator reads the list from the config when it is registered, so a loaded list goes in first.
    if (list && !orm.config.get('migrations').migrationsList) orm.config.get('migrations').migrationsList = [...list]
    await loadMigrator(orm)
    return orm.migrator
  }

  #loadedList: Promise<readonly MigrationLike[]> | undefined

  /** `migrations.list`, called once if it is a loader; checked like the array form, since it arrives after the options were. */
  #migrationList(): Promise<readonly MigrationLike[] | undefined> {
    const list = this.#settings.migrations.list
    if (typeof list !== 'function') return Promise.resolve(list)
    // Whatever the loader does wrong (throws, returns no promise, fails to import), the message names the option.
    this.#loadedList ??= Promise.resolve()
      .then(() => list())
      .then(
        (loaded) => {
          const checked = migrationListSchema.safeParse(loaded)
          if (checked.success) return checked.data
          throw new DovetailError('DOVETAIL_ERR_COMPONENT_OPTIONS', `Component 'orm/mikro-orm': migrations.list() must resolve to an array of migrations (classes extending Migration, or { name, class }); ${checked.error.issues[0]?.message ?? 'it did not'}`)
        },
        (error: unknown) => {
          throw new DovetailError('DOVETAIL_ERR_COMPONENT_OPTIONS', `Component 'orm/mikro-orm': migrations.list() failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
        },
      )
    return this.#loadedList
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

/**
 * MikroORM's mysql driver, which serves MariaDB here, misreads three things
 * MariaDB reports, and a diff would then "fix" them every time: a JSON column
 * is MariaDB's `longtext` with a `CHECK (json_valid(col))` of its own making;
 * MariaDB gives a string column's default already quoted (`'hi'`), which the
 * driver quotes again; and no default on a nullable string column reads as
 * the string 'NULL'. Read back here as what they are.
 */
function readMariaDbAsItIs(schema: DatabaseSchema): void {
  for (const table of schema.getTables()) {
    const checks = table.getChecks()
    for (let i = checks.length - 1; i >= 0; i--) {
      const { expression, name } = checks[i]!
      const json = typeof expression === 'string' ? /^json_valid\(`?([A-Za-z0-9_$]+)`?\)$/i.exec(expression.trim())?.[1] : undefined
      const column = json === name ? table.getColumn(json) : undefined
      if (!column) continue
      checks.splice(i, 1)
      if (/^longtext$/i.test(column.type)) Object.assign(column, { type: 'json', mappedType: Type.getType(JsonType), length: undefined })
    }
    for (const column of table.getColumns()) {
      if (column.nullable && column.default === "'NULL'") column.default = null
      // The driver's quoting of an already quoted literal: '\'hi\'' is 'hi'.
      else if (typeof column.default === 'string' && /^'\\'.*\\''$/s.test(column.default)) column.default = column.default.slice(1, -1).replace(/\\(.)/gs, '$1')
    }
  }
}

/**
 * MikroORM reads a SQLite table's foreign keys keyed by column, where every
 * other schema keys them by constraint name; its comparison deletes matched
 * keys by name, so on a table with any other change every key it kept reads
 * as dropped. Keyed by name, they compare as they are.
 */
function keyForeignKeysByName(schema: DatabaseSchema): void {
  for (const table of schema.getTables()) {
    const keys = table.getForeignKeys()
    for (const [key, fk] of Object.entries(keys)) {
      if (key === fk.constraintName) continue
      delete keys[key]
      keys[fk.constraintName] = fk
    }
  }
}

/** The string items of a `CHECK (col IN ('a', 'b'))` on a column in a SQLite table's SQL, if it has one. */
function sqliteCheckItems(sql: string, column: string): string[] | undefined {
  const name = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const list = new RegExp(`check\\s*\\(\\s*[\`"[]?${name}[\`"\\]]?\\s+in\\s*\\(((?:\\s*'(?:[^']|'')*'\\s*,?)+)\\)\\s*\\)`, 'i').exec(sql)?.[1]
  return list ? [...list.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'")) : undefined
}

/** What `migration:create --blank` writes: an empty migration, with the one line that keeps it portable shown. */
const blankMigration = (className: string): string => `import { Migration } from '@mikro-orm/migrations'

/**
 * Written by migration:create --blank. To run on SQLite, PostgreSQL and MySQL/MariaDB alike, change
 * the schema through knex's schema builder on the migration's transaction, which writes the SQL of
 * the database it runs on:
 *
 *   await (this.ctx ?? this.getKnex()).schema.alterTable('book', (t) => { t.string('subtitle', 200).nullable() })
 */
export class ${className} extends Migration {
  override async up(): Promise<void> {}

  override async down(): Promise<void> {}
}
`
