import { z } from 'zod'
import { defineComponent, Logger, Orm, SessionStore } from '../../../core/index.js'
import { SqlSessionStore } from './sql-store.js'

export const sqlStoreOptions = z.strictObject({
  table: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]{0,50}$/, 'table must be a plain SQL identifier (letters, digits, underscores; up to 51 characters)')
    .default('dovetail_sessions'),
  /** Create the table at startup if it is missing; turn off when migrations own the schema. */
  createTable: z.boolean().default(true),
  /** Delete expired rows this often (ms); 0 turns it off (expired rows are never returned either way). */
  sweepInterval: z.number().int().nonnegative().default(10 * 60_000),
})

const sweeps = new WeakMap<SqlSessionStore, NodeJS.Timeout>()

/**
 * The `session-store` slot in the app's SQL database, through the component
 * in the `orm` slot (SQLite, PostgreSQL, MySQL or MariaDB): no other service
 * to run. Creates its table at startup unless told not to, and declares it as
 * its own (`Orm.ownTables`), so schema commands and generated migrations
 * leave it alone.
 *
 * @example
 * import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
 * import { sqlStore } from 'dovetailjs/components/session-store/sql'
 * defineConfig({ components: { orm: mikroOrm({ url: process.env.DATABASE_URL }), 'session-store': sqlStore({ table: 'sessions' }) } })
 * // or by name, with the defaults: components: { 'session-store': 'sql' }
 */
export const sqlStore = defineComponent({
  name: 'session-store/sql',
  slot: 'session-store',
  contract: '^1.0',
  requires: ['orm'],
  options: sqlStoreOptions,
  register(c, options) {
    c.singleton(SessionStore, (resolve) => new SqlSessionStore(resolve(Orm), { table: options.table }))
  },
  async start(app, options) {
    const store = app.resolve(SessionStore) as SqlSessionStore
    // The table is this component's, not an entity's: declared so that the ORM's schema tools
    // (schema:update, schema:drop, migration:create) never drop or alter it. Declared even when
    // migrations create it (createTable: false), since the entities still do not describe it.
    app.resolve(Orm).ownTables('session-store/sql', [options.table])
    if (options.createTable) await store.createTable()
    if (options.sweepInterval > 0) {
      const logger = app.resolve(Logger)
      const timer = setInterval(() => {
        store.sweep().catch((error: unknown) => logger.error({ err: error, component: 'session-store/sql' }, 'sweeping expired sessions failed'))
      }, options.sweepInterval)
      // The sweep must never keep the process alive.
      timer.unref()
      sweeps.set(store, timer)
    }
  },
  stop(app) {
    const store = app.resolve(SessionStore) as SqlSessionStore
    clearInterval(sweeps.get(store))
    sweeps.delete(store)
  },
})
