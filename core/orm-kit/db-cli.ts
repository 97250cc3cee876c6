import { isAbsolute, relative, resolve as resolvePath } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { App } from '../app/app.js'
import { createApp } from '../app/create-app.js'
import type { DovetailConfig } from '../config/define-config.js'
import { OrmCli } from '../errors/codes.js'
import type { DovetailError } from '../errors/dovetail-error.js'
import { Orm } from '../slots/orm.js'

/**
 * What an ORM component adds to the command line beyond the contract:
 * `migration:create` (writing a migration from what its entities changed),
 * and a check after `migrate` and `migration:status` (migration files a list
 * leaves out). Without `createMigration`, `migration:create` says the
 * component does not write migrations.
 */
export interface DbCliExtensions {
  createMigration?(orm: Orm, options: { name?: string | undefined; blank: boolean }, io: DbCliIo): Promise<void>
  afterMigrations?(orm: Orm, io: DbCliIo): Promise<void>
  /** Refuse a migration name before anything runs (it becomes part of a class and file name). */
  checkMigrationName?(name: string): void
}

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
                          (components that write migrations: orm/mikro-orm)
  migration:status        list executed and pending migrations
  schema:update           create missing tables and columns (never drops anything)
  schema:create           create every entity's table
  schema:drop             drop every entity's table  (needs --yes)

--config names a module whose default (or 'config') export is a Dovetail
config, an app, or a function returning either; its orm component is used
(orm/mikro-orm, orm/kysely, or any on the orm contract). DATABASE_URL applies
as it does to the app. Tables that components keep themselves (the sql
session store's) are left out of every command. When the config lists its
migrations (migrations.list), add each new one to that list: only listed
migrations run.`

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
export async function runDbCli(argv: readonly string[], io: DbCliIo = consoleIo, extensions: DbCliExtensions = {}): Promise<number> {
  let parsed: Parsed
  try {
    parsed = parse(argv, extensions)
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
    await run(parsed, app.resolve(Orm), io, extensions)
    if (parsed.command === 'migrate' || parsed.command === 'migration:status') await extensions.afterMigrations?.(app.resolve(Orm), io)
    return 0
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error))
    return 1
  } finally {
    await app?.close()
  }
}

async function run(p: Parsed, orm: Orm, io: DbCliIo, extensions: DbCliExtensions): Promise<void> {
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
    case 'migrate:down': {
      const names = await needs(orm, 'migrateDown', p.command).call(orm)
      io.out(names.length ? names.map((n) => `reverted: ${n}`).join('\n') : 'No executed migrations to revert.')
      return
    }
    case 'migration:status': {
      const { executed, pending } = await needs(orm, 'migrationStatus', p.command).call(orm)
      io.out([...executed.map((n) => `executed  ${n}`), ...pending.map((n) => `pending   ${n}`)].join('\n') || 'No migrations.')
      return
    }
    case 'migration:create': {
      if (!extensions.createMigration) {
        throw cliError(`migration:create is not offered by '${orm.name}': write the migration by hand in its migrations folder or list (see docs/orm.md).`)
      }
      await extensions.createMigration(orm, { name: p.name, blank: p.blank }, io)
      return
    }
  }
}

/**
 * A path as the user gave the config: from the working directory when it is below it, else whole.
 *
 * @example
 * shownPath('/app/migrations/0001.ts', { cwd: '/app', out() {}, err() {} }) // 'migrations/0001.ts'
 */
export function shownPath(path: string, io: DbCliIo): string {
  const from = relative(io.cwd ?? process.cwd(), path)
  return from && !from.startsWith('..') && !isAbsolute(from) ? from.split('\\').join('/') : path
}

/** An optional member of the contract the command needs, or a clear refusal naming the component. */
function needs<K extends 'migrateDown' | 'migrationStatus'>(orm: Orm, member: K, command: string): NonNullable<Orm[K]> {
  const fn = orm[member]
  if (typeof fn !== 'function') throw cliError(`${command} needs Orm.${member}, which the config's orm component '${orm.name}' does not offer.`)
  return fn as NonNullable<Orm[K]>
}

function parse(argv: readonly string[], extensions: DbCliExtensions): Parsed {
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
    else if (key === '--name' && command === 'migration:create') extensions.checkMigrationName?.((parsed.name = value()))
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
