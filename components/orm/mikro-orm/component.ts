import type { SqlEntityManager } from '@mikro-orm/knex'
import { Db, defineComponent, Logger, Orm } from '../../../core/index.js'
import { resolveConnection } from './connection.js'
import { MikroOrmHandle } from './mikro-orm-handle.js'
import { mikroOrmOptions } from './options.js'
import { MikroOrm } from './tokens.js'

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
  contract: '^1.0',
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
    const connection = resolveConnection(options)
    c.singleton(Orm, (resolve) => new MikroOrmHandle(options, connection, resolve(Logger)), { dispose: (orm) => orm.close() })
    c.scoped(Db, (resolve) => resolve(Orm).fork(), { dispose: (em) => release(em as SqlEntityManager) })
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
 * identity map is dropped.
 */
async function release(em: SqlEntityManager): Promise<void> {
  try {
    if (em.isInTransaction()) await em.rollback()
  } finally {
    em.clear()
  }
}
