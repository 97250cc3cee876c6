import { type DbCliIo, runDbCli as runOrmDbCli } from '../../../core/orm-kit/index.js'

/**
 * The database command line on Kysely: the orm-kit's (`dovetail db migrate`,
 * `migrate:down`, `migration:status`, `schema:update`, `schema:create`,
 * `schema:drop --yes`). Migrations are written by hand (Kysely's `up(db)` /
 * `down(db)` modules), so `migration:create` is not offered.
 *
 * @example
 * const code = await runDbCli(['migrate', '--config', 'app.ts'])
 */
export function runDbCli(argv: readonly string[], io?: DbCliIo): Promise<number> {
  return runOrmDbCli(argv, io)
}
