import { defineComponent, HttpError, Logger, RequestSignal } from '../../../core/index.js'
import { resolveConnection } from '../../../core/orm-kit/index.js'
import { KyselyHandle } from './kysely-handle.js'
import { kyselyOptions } from './options.js'
import { Kdb, KyselyOrm } from './tokens.js'
import type { KyselyWork } from './unit-of-work.js'

/**
 * The orm slot on Kysely, a typed SQL query builder: SQLite (through libsql,
 * the embedded default), PostgreSQL (pg) or MySQL/MariaDB (mysql2), chosen by
 * `driver`/`url` or `DATABASE_URL`. Registers `Orm` (singleton, typed view
 * `KyselyOrm`) and `Db` (one unit of work per request, typed view `Kdb`,
 * itself a `Kysely` instance whose transaction opens on its first query);
 * connects in `start()`, closes in `stop()`.
 *
 * @example
 * import { kysely } from 'dovetailjs/components/orm/kysely'
 * defineConfig({ components: { orm: kysely({
 *   tables: { page: { id: { type: 'integer', primaryKey: true, autoIncrement: true }, slug: { type: 'varchar(100)', notNull: true, unique: true } } },
 *   schema: 'update',
 * }) } })
 */
export const kysely = defineComponent({
  name: 'orm/kysely',
  slot: 'orm',
  contract: '^2.0',
  options: kyselyOptions,
  commands: {
    // `dovetail db …` in a project whose config has this component; loaded only when run.
    db: {
      summary: 'run a database command (migrate, migration:status, schema:update, …) on the app config’s database',
      run: async (argv, io) => (await import('./run-cli.js')).runDbCli(argv, io),
    },
  },
  register(c, options) {
    // Read DATABASE_URL now, so a bad one stops createApp() before anything connects.
    const connection = resolveConnection(options, process.env, 'orm/kysely')
    c.singleton(KyselyOrm, (resolve) => new KyselyHandle(options, connection, resolve(Logger)), { dispose: (orm) => orm.close() })
    // The request's signal: its queries stop when the client leaves or the time limit passes.
    c.scoped(Kdb, (resolve) => resolve(KyselyOrm).fork(resolve(RequestSignal)), { dispose: release })
  },
  async start(app, options) {
    const orm = app.resolve(KyselyOrm)
    await orm.open()
    if (options.schema === 'update') await orm.updateSchema()
    else if (options.schema === 'migrate') await orm.migrate()
  },
  async stop(app) {
    await app.resolve(KyselyOrm).close()
  },
})

/**
 * End of a request: a transaction still open (begun by a handler, never
 * committed) is rolled back, so it cannot hold a connection or locks. A
 * rollback that fails because the database is down (503) or the request was
 * cancelled is not an error of the app: the database drops the transaction
 * with its connection, and the outage or the cancel was reported already.
 */
async function release(work: KyselyWork): Promise<void> {
  try {
    if (work.isInTransaction()) await work.rollback()
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 503) && !work.ended) throw error
  }
}
