import { readdir } from 'node:fs/promises'
import { join, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Migration, MigrationProvider } from 'kysely'
import { OrmMigrationLoad } from './errors.js'

// Modules Node imports as they are, and TypeScript ones a loader (tsx, vitest) may take; never declarations.
const scriptFile = /^(?!.*\.d\.[cm]?ts$).+\.([cm]?js|[cm]?ts)$/
const isTypeScript = (file: string) => /\.[cm]?ts$/.test(file)

/**
 * Kysely's migrations for the component: the app's `migrations.list`, or
 * every module in `migrations.folder`, by file name without its extension.
 *
 * The folder is read here rather than with Kysely's `FileMigrationProvider`,
 * for two reasons: a file is imported by its `file:` URL (a bare absolute
 * path is not a URL on Windows), and a folder holding both a module and its
 * compiled twin (`0001_pages.ts` beside `0001_pages.js`) runs it once, from
 * the JavaScript, which is what a compiled app runs. A `.ts` file alone is
 * imported too; when the process cannot (compiled JavaScript run by plain
 * Node), the error names the file and the two ways out.
 */
export class ComponentMigrations implements MigrationProvider {
  constructor(
    private readonly source: { list: Record<string, Migration> } | { folder: string },
  ) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    if ('list' in this.source) return { ...this.source.list }
    const folder = resolvePath(this.source.folder)
    let files: string[]
    try {
      files = (await readdir(folder, { withFileTypes: true })).filter((f) => f.isFile() && scriptFile.test(f.name)).map((f) => f.name)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
      throw error
    }
    const byName = new Map<string, string>()
    for (const file of files.sort()) {
      const name = file.replace(/\.[cm]?[jt]s$/, '')
      const before = byName.get(name)
      if (before === undefined || (isTypeScript(before) && !isTypeScript(file))) byName.set(name, file)
    }
    const migrations: Record<string, Migration> = {}
    for (const [name, file] of byName) migrations[name] = await importMigration(join(folder, file))
    return migrations
  }
}

async function importMigration(path: string): Promise<Migration> {
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw OrmMigrationLoad(
        `Component 'orm/kysely' cannot import the migration ${path}: this process runs plain JavaScript. ` +
          `Compile the migrations and point migrations.folder at the compiled folder, or import them in the app and pass migrations.list.`,
        { cause: error },
      )
    }
    throw error
  }
  const migration = (typeof module.up === 'function' ? module : module.default) as Migration | undefined
  if (!migration || typeof migration.up !== 'function') {
    throw OrmMigrationLoad(`The migration ${path} exports no up(db) function: export async function up(db) { … } (and optionally down(db)).`)
  }
  return migration
}
