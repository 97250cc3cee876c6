import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { OrmCli } from './errors.js'
import type { MigrationLike } from './options.js'

/** A migration file in the migrations folder that the app's `migrations.list` leaves out, so nothing runs it. */
export interface UnlistedMigration {
  /** The file's absolute path. */
  file: string
  /** The migration class the file declares (the name to add to the list). */
  className: string
}

// What MikroORM's own folder discovery would take: .js, .ts, .cjs, .mjs, .cts, .mts, but no declarations.
const sourceFile = /^(?!.*\.d\.[cm]?ts$).+\.[cm]?[jt]s$/
// `class X extends Migration`, as written in TypeScript or compiled (`extends migrations_1.Migration`).
const migrationClass = /\bclass\s+([A-Za-z_$][\w$]*)\s+extends\s+(?:[\w$]+\.)?Migration\b/g

/**
 * The files in `folder` that declare a migration class the list does not
 * hold, by class name or by the `name` of a `{ name, class }` entry. Files
 * declaring no migration (`index.ts`, the list itself) are not migrations and
 * are skipped; a missing folder has none.
 *
 * @example
 * await unlistedMigrations('/app/migrations', [Migration20250601120000_notes])
 * // [{ file: '/app/migrations/Migration20261130183845.ts', className: 'Migration20261130183845' }]
 */
export async function unlistedMigrations(folder: string, list: readonly MigrationLike[]): Promise<UnlistedMigration[]> {
  const listed = new Set<string>()
  for (const entry of list) {
    if (typeof entry === 'function') listed.add(entry.name)
    else listed.add(entry.name).add(entry.class.name)
  }
  let files: string[]
  try {
    files = (await readdir(folder, { withFileTypes: true })).filter((f) => f.isFile() && sourceFile.test(f.name)).map((f) => f.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  const unlisted: UnlistedMigration[] = []
  for (const name of files.sort()) {
    const classes = [...(await readFile(join(folder, name), 'utf8')).matchAll(migrationClass)].map((m) => m[1]!)
    if (classes.length === 0) continue
    if (listed.has(name.replace(/\.[cm]?[jt]s$/, '')) || classes.some((c) => listed.has(c))) continue
    unlisted.push({ file: join(folder, name), className: classes[0]! })
  }
  return unlisted
}

const migrationName = /^[A-Za-z0-9_]+$/

/**
 * Refuse a migration name that would not make a valid class and file name:
 * `migration:create --name n` writes `Migration<timestamp>_n.ts` declaring
 * the class `Migration<timestamp>_n`, so `n` may hold letters, digits and
 * underscores only. Throws `DOVETAIL_ERR_ORM_CLI`, suggesting a name that would do.
 *
 * @example
 * checkMigrationName('add_email') // fine
 * checkMigrationName('add-email') // throws: use add_email
 */
export function checkMigrationName(name: string): void {
  if (migrationName.test(name)) return
  const suggestion = name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '')
  throw OrmCli(
    `The migration name '${name}' cannot be used: it becomes part of the class name (Migration<timestamp>_${name}) and of the file name, ` +
      `so it may hold letters, digits and underscores only${suggestion ? ` (say, ${suggestion})` : ''}.`,
  )
}
