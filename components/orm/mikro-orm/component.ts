import type { SqlEntityManager } from '@mikro-orm/knex'
import { Db, defineComponent, HttpError, Logger, RequestSignal } from '../../../core/index.js'
import { resolveConnection } from '../../../core/orm-kit/index.js'
import { MikroOrmHandle } from './mikro-orm-handle.js'
import { type RequestQueries, requestKey } from './request-queries.js'
import { mikroOrmOptions } from './options.js'
import { Em, MikroOrm } from './tokens.js'

/**
 * The orm slot on MikroORM 6: SQLite (through libsql), PostgreSQL, MySQL or
 * MariaDB, chosen by `driver`/`url` or `DATABASE_URL`. Registers `Orm`
 * (singleton, typed view `MikroOrm`) and `Db` (one fork per request, typed
 * view `Em`); connects in `start()`, closes in `stop()`.
 *
 * @example
 * import { defineEntity, p } from '@mikro-orm/core'
 * import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
 * const Page = defineEntity({ name: 'Page', properties: { id: p.integer().primary(), slug: p.string().unique() } })
 * defineConfig({ components: { orm: mikroOrm({ entities: [Page], schema: 'update' }) } })
 */
export const mikroOrm = defineComponent({
  name: 'orm/mikro-orm',
  slot: 'orm',
  contract: '^2.0',
  options: mikroOrmOptions,
  commands: {
    // `dovetail db …` in a project whose config has this component; loaded only when run.
    db: {
      summary: 'run a database command (migrate, migration:create, …) on the app config’s database',
      run: async (argv, io) => (await import('./run-cli.js')).runDbCli(argv, io),
    },
  },
  register(c, options) {
    // Read DATABASE_URL now, so a bad one stops createApp() before anything connects.
    const connection = resolveConnection(options, process.env, 'orm/mikro-orm')
    c.singleton(MikroOrm, (resolve) => new MikroOrmHandle(options, connection, resolve(Logger)), { dispose: (orm) => orm.close() })
    // The request's signal: its queries stop when the client leaves or the time limit passes.
    c.scoped(Em, (resolve) => resolve(MikroOrm).fork(resolve(RequestSignal)), { dispose: release })
  },
  async start(app, options) {
    const orm = app.resolve(MikroOrm)
    await orm.open()
    if (options.schema === 'update') await orm.updateSchema()
    else if (options.schema === 'migrate') await orm.migrate()
  },
  async stop(app) {
    await app.resolve(MikroOrm).close()
  },
})

/**
 * End of a request: a transaction still open (begun by a handler, never
 * committed) is rolled back, so it cannot hold a connection or locks, and the
 * identity map is dropped. A rollback that fails because the database is
 * down (503) or the request was cancelled is not an error of the app: the
 * database drops the transaction with its connection, and the outage or the
 * cancel was reported already.
 */
async function release(em: SqlEntityManager): Promise<void> {
  try {
    if (em.isInTransaction()) await em.rollback()
  } catch (error) {
    if (!(error instanceof HttpError && error.status === 503) && !requestEnded(em)) throw error
  } finally {
    em.clear()
  }
}

const requestEnded = (em: SqlEntityManager): boolean =>
  (em.getLoggerContext() as { [requestKey]?: RequestQueries })[requestKey]?.signal.aborted === true
