import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { prepareTypeScript } from './import-config.js'
import type { CliIo } from './io.js'

/**
 * The module holding the database command line. The core names it as data and
 * loads it only when `dovetail db` runs, the way built-in components are
 * loaded by specifier. (Not `…/mikro-orm/cli`: that file is an entry point
 * that runs the command line as soon as it is imported; `runDbCli` is the
 * same thing as a function, exported from the component's index.)
 */
export const dbCliModule = 'dovetailjs/components/orm/mikro-orm'

export const dbUsage = `Usage: dovetail db <command> --config <module> [flags]

Run a database command with the config's orm component: the app is built from
--config, the command runs on its database, and the app is closed. Everything
after "db" is handed to the orm/mikro-orm component's command line:`

type DbCli = (argv: readonly string[], io: CliIo & { program?: string }) => Promise<number>

/**
 * `dovetail db …`: the orm component's command line, called as a function.
 *
 * @example
 * await dbCommand(['migrate', '--config', 'app.ts'], processIo())
 */
export async function dbCommand(args: readonly string[], io: CliIo): Promise<number> {
  const runDbCli = await loadDbCli()
  const [first] = args
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    io.out(dbUsage)
    io.out('')
    return runDbCli(['--help'], { ...io, program: 'dovetail db' })
  }
  // Only --config matters here (a TypeScript config needs its loader first); the rest is the component's to parse.
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string', short: 'c' } }, strict: false, allowPositionals: true })
  if (typeof values.config === 'string') await prepareTypeScript(resolve(io.cwd ?? process.cwd(), values.config))
  return runDbCli(args, { ...io, program: 'dovetail db' })
}

async function loadDbCli(): Promise<DbCli> {
  let module: { runDbCli?: unknown }
  try {
    module = (await import(dbCliModule)) as { runDbCli?: unknown }
  } catch (error) {
    throw new Error(
      `dovetail db runs the orm/mikro-orm component's command line, which could not be loaded: ${(error as Error).message.split('\n')[0]} ` +
        'Install its packages: npm install @mikro-orm/core @mikro-orm/knex @mikro-orm/libsql @mikro-orm/migrations',
      { cause: error },
    )
  }
  if (typeof module.runDbCli !== 'function') throw new Error(`${dbCliModule} exports no runDbCli(argv, io); this Dovetail installation is inconsistent.`)
  return module.runDbCli as DbCli
}
