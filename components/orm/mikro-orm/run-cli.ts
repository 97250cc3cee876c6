import { type DbCliIo, runDbCli as runOrmDbCli, shownPath } from '../../../core/orm-kit/index.js'
import { MikroOrmHandle } from './mikro-orm-handle.js'
import { checkMigrationName } from './migration-files.js'

export type { DbCliIo } from '../../../core/orm-kit/index.js'

const listFile = 'migrations/index.ts'

/**
 * The database command line on MikroORM: the orm-kit's (`dovetail db`, on
 * any ORM component), with what this component adds: `migration:create`
 * writes a portable migration for what the entities changed, and `migrate`
 * and `migration:status` warn about migration files `migrations.list` leaves
 * out. Returns the exit code: 0 done, 1 failed, 2 bad usage.
 *
 * @example
 * // what `dovetail db migrate --config app.ts` runs (package.json: "db:migrate": "dovetail db migrate --config app.ts")
 * const code = await runDbCli(['migrate', '--config', 'app.ts'])
 */
export function runDbCli(argv: readonly string[], io?: DbCliIo): Promise<number> {
  return runOrmDbCli(argv, io, {
    checkMigrationName,
    async createMigration(orm, options, io) {
      if (!(orm instanceof MikroOrmHandle)) throw new Error(`migration:create needs the orm/mikro-orm component, but the config's orm slot holds '${orm.name}'.`)
      const created = await orm.createMigration(options)
      io.out(created.fileName ? `created: ${created.fileName}` : 'No changes: the schema matches the entities.')
      for (const note of created.notes) io.out(`note: ${note}`)
      if (created.fileName && orm.listsMigrations) {
        // The app runs the migrations its config lists, not the folder's files: until this one is listed, nothing runs it.
        io.out(
          `next: add ${created.className} from ${shownPath(created.path, io)} to the list your config passes as migrations.list ` +
            `(${listFile} in a project made by dovetail new); until then migrate and migration:status do not see it.`,
        )
      }
    },
    // With migrations.list, a migration file the list leaves out is never run, and nothing else would say so:
    // warn (on stderr; the command still succeeds).
    async afterMigrations(orm, io) {
      if (!(orm instanceof MikroOrmHandle)) return
      for (const { file, className } of await orm.unlistedMigrations()) {
        io.err(
          `warning: ${shownPath(file, io)} is not in the list your config passes as migrations.list, so it is not run: ` +
            `add ${className} to that list (${listFile} in a project made by dovetail new).`,
        )
      }
    },
  })
}
