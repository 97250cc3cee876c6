import { EntitySchema, type EntityClass, type MigrationObject, type Options } from '@mikro-orm/core'
import { z } from 'zod'

/** An entity MikroORM can discover without decorators: an `EntitySchema` (from `defineEntity` or `new EntitySchema`), or a class. */
export type EntityLike = EntitySchema<any, any> | EntityClass<any>

/** A migration given in code: `{ name, class }`, or a class extending `Migration` (its name is the class name). */
export type MigrationLike = MigrationObject | MigrationObject['class']

const entity = z.custom<EntityLike>((value) => value instanceof EntitySchema || typeof value === 'function', {
  message: 'each entity must be an EntitySchema (from defineEntity() or new EntitySchema()) or an entity class',
})

const migration = z.custom<MigrationLike>(
  (value) =>
    typeof value === 'function' ||
    (typeof value === 'object' && value !== null && typeof (value as MigrationObject).name === 'string' && typeof (value as MigrationObject).class === 'function'),
  { message: 'each migration must be a class extending Migration, or { name, class }' },
)

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
  })

const dialects = ['sqlite', 'postgresql', 'mysql', 'mariadb'] as const

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
       */
      list: z.array(migration).optional(),
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
  /** Any other MikroORM option, applied last (e.g. `{ forceUtcTimezone: true }`). @default {} */
  mikroOrm: passthrough.default({}),
})

/** Options of the `orm/mikro-orm` component; see each field for its default. */
export type MikroOrmOptions = z.input<typeof mikroOrmOptions>

/** The options after validation and defaults. */
export type MikroOrmSettings = z.output<typeof mikroOrmOptions>
