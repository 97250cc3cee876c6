import { isAbsolute, relative, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type App, createApp, type DovetailConfig, type DovetailError, Orm } from '../../../core/index.js'
import { OrmCli } from './errors.js'
import { MikroOrmHandle } from './mikro-orm-handle.js'
import { checkMigrationName } from './migration-files.js'

/** Where the command line writes; tests pass their own. */
export interface DbCliIo {
  out(line: string): void
  err(line: string): void
  /** The directory `--config` is relative to. @default process.cwd() */
  cwd?: string
  /** How the usage text names the program. @default 'dovetail db' */
  program?: string
}

const usageOf = (program: string) => `Usage: ${program} <command> --config <module> [flags]

Commands:
  migrate                 run every pending migration
  migrate:down            undo the last executed migration
  migration:create        write a migration for what the entities changed  [--name <name>] [--blank]
  migration:status        list executed and pending migrations
  schema:update           create missing tables and columns (never drops anything)
  schema:create           create every entity's table
  schema:drop             drop every entity's table  (needs --yes)

--config names a module whose default (or 'config') export is a Dovetail
config, an app, or a function returning either; its orm component is used.
DATABASE_URL applies as it does to the app. Migrations are written to run
on SQLite, PostgreSQL and MySQL/MariaDB alike; tables that components keep
themselves (the sql session store's) are left out of every command. When the
config lists its migrations (migrations.list), add each one migration:create
writes to that list: only listed migrations run.`

const defaultProgram = 'dovetail db'

interface Parsed {
  command: string
  config: string
  name?: string | undefined
  blank: boolean
  yes: boolean
}

const commands = ['migrate', 'migrate:down', 'migration:create', 'migration:status', 'schema:update', 'schema:create', 'schema:drop']

/**
 * The database command line, as a function: parse `argv` (without `node` and
 * the script), build the app from `--config`, run one command on its ORM,
 * close the app. Returns the exit code: 0 done, 1 failed, 2 bad usage.
 *
 * @example
 * // what `dovetail db migrate --config app.ts` runs (package.json: "db:migrate": "dovetail db migrate --config app.ts")
 * const code = await runDbCli(['migrate', '--config', 'app.ts'])
 */
export async function runDbCli(argv: readonly string[], io: DbCliIo = consoleIo): Promise<number> {
  let parsed: Parsed
  try {
    parsed = parse(argv)
  } catch (error) {
    io.err((error as Error).message)
    io.err('')
    io.err(usageOf(io.program ?? defaultProgram))
    return 2
  }
  if (parsed.command === 'help') {
    io.out(usageOf(io.program ?? defaultProgram))
    return 0
  }
  let app: App | undefined
  try {
    app = await loadApp(resolvePath(io.cwd ?? process.cwd(), parsed.config))
    await run(parsed, app.resolve(Orm), io)
    if (parsed.command === 'migrate' || parsed.command === 'migration:status') await warnUnlisted(app.resolve(Orm), io)
    return 0
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error))
    return 1
  } finally {
    await app?.close()
  }
}

async function run(p: Parsed, orm: Orm, io: DbCliIo): Promise<void> {
  switch (p.command) {
    case 'migrate': {
      const names = await orm.migrate()
      io.out(names.length ? names.map((n) => `migrated: ${n}`).join('\n') : 'No pending migrations.')
      return
    }
    case 'schema:update':
      await orm.updateSchema()
      io.out('Schema updated (missing tables and columns created).')
      return
    case 'schema:create':
      await orm.createSchema()
      io.out('Schema created.')
      return
    case 'schema:drop':
      if (!p.yes) throw cliError('schema:drop deletes every entity table and its rows; run it again with --yes to confirm.')
      await orm.dropSchema()
      io.out('Schema dropped.')
      return
  }
  const mikro = mikroHandle(orm, p.command)
  switch (p.command) {
    case 'migrate:down': {
      const names = await mikro.migrateDown()
      io.out(names.length ? names.map((n) => `reverted: ${n}`).join('\n') : 'No executed migrations to revert.')
      return
    }
    case 'migration:status': {
      const { executed, pending } = await mikro.migrationStatus()
      io.out([...executed.map((n) => `executed  ${n}`), ...pending.map((n) => `pending   ${n}`)].join('\n') || 'No migrations.')
      return
    }
    case 'migration:create': {
      const created = await mikro.createMigration({ name: p.name, blank: p.blank })
      io.out(created.fileName ? `created: ${created.fileName}` : 'No changes: the schema matches the entities.')
      for (const note of created.notes) io.out(`note: ${note}`)
      if (created.fileName && mikro.listsMigrations) {
        // The app runs the migrations its config lists, not the folder's files: until this one is listed, nothing runs it.
        io.out(
          `next: add ${created.className} from ${shown(created.path, io)} to the list your config passes as migrations.list ` +
            `(${listFile} in a project made by dovetail new); until then migrate and migration:status do not see it.`,
        )
      }
      return
    }
  }
}

const listFile = 'migrations/index.ts'

/**
 * With `migrations.list`, a migration file the list leaves out is never run,
 * and nothing else would say so: warn (on stderr; the command still succeeds).
 */
async function warnUnlisted(orm: Orm, io: DbCliIo): Promise<void> {
  if (!(orm instanceof MikroOrmHandle)) return
  for (const { file, className } of await orm.unlistedMigrations()) {
    io.err(
      `warning: ${shown(file, io)} is not in the list your config passes as migrations.list, so it is not run: ` +
        `add ${className} to that list (${listFile} in a project made by dovetail new).`,
    )
  }
}

/** A path as the user gave the config: from the working directory when it is below it, else whole. */
function shown(path: string, io: DbCliIo): string {
  const from = relative(io.cwd ?? process.cwd(), path)
  return from && !from.startsWith('..') && !isAbsolute(from) ? from.split('\\').join('/') : path
}

function mikroHandle(orm: Orm, command: string): MikroOrmHandle {
  if (orm instanceof MikroOrmHandle) return orm
  throw cliError(`${command} needs the orm/mikro-orm component, but the config's orm slot holds '${orm.name}'.`)
}

function parse(argv: readonly string[]): Parsed {
  const rest = [...argv]
  const command = rest.shift()
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help', config: '', blank: false, yes: false }
  if (!commands.includes(command)) throw cliError(`Unknown command '${command}'. Commands: ${commands.join(', ')}.`)
  const parsed: Parsed = { command, config: '', blank: false, yes: false }
  while (rest.length) {
    const flag = rest.shift()!
    const [key, inline] = flag.startsWith('--') && flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined]
    const value = () => {
      const v = inline ?? rest.shift()
      if (v === undefined || v === '') throw cliError(`${key} needs a value.`)
      return v
    }
    if (key === '--config' || key === '-c') parsed.config = value()
    else if (key === '--name' && command === 'migration:create') checkMigrationName((parsed.name = value()))
    else if (key === '--blank' && command === 'migration:create') parsed.blank = true
    else if (key === '--yes' && command === 'schema:drop') parsed.yes = true
    else throw cliError(`Unknown flag '${flag}' for ${command}.`)
  }
  if (!parsed.config) throw cliError(`${command} needs --config <module>: the module that exports the app's config.`)
  return parsed
}

async function loadApp(file: string): Promise<App> {
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (error) {
    throw cliError(`Could not import the config module ${file}: ${(error as Error).message}`, error)
  }
  let value = module.default ?? module.config
  if (typeof value === 'function') value = await (value as () => unknown)()
  if (isApp(value)) return value
  if (typeof value === 'object' && value !== null) return createApp(value as DovetailConfig)
  throw cliError(`${file} exports no config: give it a default export (a defineConfig() object, an app, or a function returning one).`)
}

const isApp = (value: unknown): value is App =>
  typeof value === 'object' && value !== null && typeof (value as App).fetch === 'function' && typeof (value as App).resolve === 'function'

const cliError = (message: string, cause?: unknown): DovetailError => OrmCli(message, { cause })

const consoleIo: DbCliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}
