import { EntitySchema, type EntityClass, type MigrationObject, type Options } from '@mikro-orm/core'
import { z } from 'zod'

/** An entity MikroORM can discover without decorators: an `EntitySchema` (from `defineEntity` or `new EntitySchema`), or a class. */
export type EntityLike = EntitySchema<any, any> | EntityClass<any>

/** A migration given in code: `{ name, class }`, or a class extending `Migration` (its name is the class name). */
export type MigrationLike = MigrationObject | MigrationObject['class']

/**
 * The migrations list loaded on first use: a function the component calls
 * only when it needs the migrations (`migrate`, `migration:status`, `schema:
 * 'migrate'`), never at an ordinary start.
 */
export type MigrationListLoader = () => Promise<readonly MigrationLike[]> | readonly MigrationLike[]

const entity = z.custom<EntityLike>((value) => value instanceof EntitySchema || typeof value === 'function', {
  message: 'each entity must be an EntitySchema (from defineEntity() or new EntitySchema()) or an entity class',
})

const migration = z.custom<MigrationLike>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof (value as MigrationObject).name === 'string' && typeof (value as MigrationObject).class === 'function'),
  { message: 'each migration must be a class extending Migration, or { name, class }' },
)

/** `migrations.list` in its array form; also what a list loader's promise must resolve to. */
export const migrationListSchema = z.array(migration)

// These have options of their own here; two ways to set one thing would disagree sooner or later.
const ownedKeys = ['driver', 'dbName', 'clientUrl', 'entities', 'entitiesTs', 'migrations', 'debug', 'pool', 'logger', 'allowGlobalContext'] as const

const passthrough = z
  .custom<Partial<Options>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
    message: 'mikroOrm must be an object of MikroORM options',
  })
  .superRefine((value, ctx) => {
    for (const key of ownedKeys) {
      if (key in value) {
        const own = key === 'dbName' || key === 'clientUrl' ? 'url' : key === 'entitiesTs' ? 'entities' : key
        ctx.addIssue({ code: 'custom', message: `set ${key} through this component's '${own}' option, not mikroOrm.${key}`, path: [key] })
      }
    }
    // The timeouts too: the component's options say them once for every driver.
    const driverOptions = value.driverOptions as { acquireConnectionTimeout?: unknown; connection?: Record<string, unknown> } | undefined
    if (driverOptions && typeof driverOptions === 'object') {
      if ('acquireConnectionTimeout' in driverOptions) {
        ctx.addIssue({ code: 'custom', message: "set the pool's wait through this component's 'acquireTimeout' option, not mikroOrm.driverOptions.acquireConnectionTimeout", path: ['driverOptions', 'acquireConnectionTimeout'] })
      }
      const connection = driverOptions.connection
      for (const [key, own] of [['connectionTimeoutMillis', 'connectTimeout'], ['connectTimeout', 'connectTimeout'], ['timeout', 'busyTimeout']] as const) {
        if (connection && typeof connection === 'object' && key in connection) {
          ctx.addIssue({ code: 'custom', message: `set it through this component's '${own}' option, not mikroOrm.driverOptions.connection.${key}`, path: ['driverOptions', 'connection', key] })
        }
      }
    }
  })

const dialects = ['sqlite', 'postgresql', 'mysql', 'mariadb'] as const

// Node fires a longer timer at once (and warns), which would fail every connection.
const longestTimer = 2 ** 31 - 1
const timeout = z.number().int('give whole milliseconds').positive('give at least 1 ms').max(longestTimer)

export const mikroOrmOptions = z.strictObject({
  /**
   * The database. Defaults to what the URL says (`url`, else `DATABASE_URL`),
   * else `sqlite`. When both are given they must agree.
   */
  driver: z.enum(dialects).optional(),
  /**
   * Where to connect: `postgresql://…`, `mysql://…`, `mariadb://…`, or for
   * SQLite `file:…`, `sqlite:…`, a path or `:memory:`.
   * @default process.env.DATABASE_URL, else './data/app.db' (SQLite; the folder is created)
   */
  url: z.string().min(1, 'url must not be empty; leave it out to use DATABASE_URL or the SQLite default').optional(),
  /** The entities, as `defineEntity(...)`/`EntitySchema` objects: no decorators, no reflect-metadata. @default [] */
  entities: z.array(entity).default([]),
  migrations: z
    .strictObject({
      /**
       * Folder of migration files, relative to the working directory: where
       * `migration:create` writes. Without `list`, MikroORM imports every file
       * in it, which works for compiled JavaScript only (from node_modules, a
       * `.ts` file does not load). @default './migrations'
       */
      path: z.string().min(1).default('./migrations'),
      /** The table that records which migrations ran. @default 'mikro_orm_migrations' */
      tableName: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'tableName must be a plain SQL identifier (letters, digits, underscores)')
        .default('mikro_orm_migrations'),
      /**
       * The migrations to run, oldest first, imported by the app (a TypeScript
       * project's `migrations/index.ts`): classes, or `{ name, class }`. The
       * folder is then not read; a new migration runs once it is added here.
       *
       * Or a function returning that list (or a promise of it), such as
       * `() => import('./migrations/index.js').then((m) => m.migrations)`:
       * the component calls it only when it runs or lists migrations. A
       * migration imports `@mikro-orm/migrations` (and through it umzug and
       * its command-line tooling, some 250 files), which an app serving
       * requests never needs (see docs/orm.md, Migrations, for what it saves).
       */
      list: z
        .union([
          migrationListSchema,
          // A migration class is a function too; a loader is told apart by taking no class shape:
          // the array form above comes first, so only a bare function reaches this.
          z.custom<MigrationListLoader>((value) => typeof value === 'function', {
            message: 'list must be an array of migrations, or a function returning a promise of one',
          }),
        ])
        .optional(),
      /**
       * Keep a schema snapshot (`.schema-snapshot.json` in `path`) that
       * `migration:create` diffs against. Off, it diffs against the database
       * itself, and running migrations writes nothing into the source tree.
       * @default false
       */
      snapshot: z.boolean().default(false),
    })
    .default({ path: './migrations', tableName: 'mikro_orm_migrations', snapshot: false }),
  /**
   * What `start()` does to the schema: `manual` nothing (run the command line),
   * `update` create missing tables and columns (never drops), `migrate` run
   * pending migrations.
   * @default 'manual'
   */
  schema: z.enum(['manual', 'update', 'migrate']).default('manual'),
  /** Log every query through the app's logger, at info level. @default false */
  debug: z.boolean().default(false),
  /** Connection pool size (PostgreSQL, MySQL/MariaDB). @default MikroORM's (min 2, max 10) */
  pool: z
    .strictObject({ min: z.number().int().nonnegative().optional(), max: z.number().int().positive().optional() })
    .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, 'pool.min must not exceed pool.max')
    .optional(),
  /**
   * How long opening a connection to PostgreSQL or MySQL/MariaDB may take
   * (TCP, TLS, login), in milliseconds. A database that does not answer in
   * time fails the query with 503 instead of holding the request; without
   * it, pg waits for the operating system (minutes). At most `acquireTimeout`.
   * @default 5000
   */
  connectTimeout: timeout.default(5000),
  /**
   * How long a query or transaction waits for a pooled connection, opening
   * one included, in milliseconds; then 503. It bounds a full pool (every
   * connection held by a request) and an unreachable database; knex's own
   * default is 60 s.
   * @default 10000
   */
  acquireTimeout: timeout.default(10_000),
  /**
   * SQLite: how long a write waits for a lock another process holds (a
   * migration, a second app on the file), in milliseconds; then 503. libsql
   * waits synchronously, so every request of the process waits with it: keep
   * it short.
   * @default 0 (answer 503 at once)
   */
  busyTimeout: z.number().int('busyTimeout must be whole milliseconds').nonnegative().max(longestTimer).default(0),
  /**
   * SQLite: how many prepared statements each connection keeps, the most
   * recently used, so that a query run again is not prepared again (its
   * values go to libsql as bindings instead of into the SQL text). SQLite
   * prepares a kept statement again by itself after a schema change. `0`
   * keeps none: every query is prepared, as MikroORM's own driver does.
   * @default 100 (the same as orm/kysely's)
   */
  statementCacheSize: z.number().int('statementCacheSize must be a whole number of statements').nonnegative().max(10_000).default(100),
  /** The `Retry-After` seconds on the 503 that a database outage answers. @default 5 */
  retryAfter: z.number().int('retryAfter must be whole seconds').nonnegative().default(5),
  /** Any other MikroORM option, applied last (e.g. `{ forceUtcTimezone: true }`). @default {} */
  mikroOrm: passthrough.default({}),
}).refine((o) => o.connectTimeout <= o.acquireTimeout, {
  message: 'connectTimeout must not exceed acquireTimeout: a query waits for its connection, opening one included, at most acquireTimeout',
  path: ['connectTimeout'],
})

/** Options of the `orm/mikro-orm` component; see each field for its default. */
export type MikroOrmOptions = z.input<typeof mikroOrmOptions>

/** The options after validation and defaults. */
export type MikroOrmSettings = z.output<typeof mikroOrmOptions>
