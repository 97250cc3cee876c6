import { checkCommand } from './command-check.js'
import { componentCommand } from './command-component.js'
import { devCommand } from './command-dev.js'
import { explainCommand } from './command-explain.js'
import { generateCommand } from './command-generate.js'
import { infoCommand } from './command-info.js'
import { newCommand } from './command-new.js'
import { routesCommand } from './command-routes.js'
import { shellCommand } from './command-shell.js'
import { startCommand } from './command-start.js'
import { corePackage } from '../discovery/installed-packages.js'
import { type CliIo, processIo } from './io.js'
import { exitCodes, UsageError } from './usage-error.js'

export const usage = `Usage: dovetail <command> [options]

Commands:
  new <dir>       start a project from a preset (minimal, api, fullstack)
  info            show the component in each slot of a config, where it was
                  chosen, and its options
  check           run every check createApp runs on a config, without serving
  routes          list the routes: method, path, name, handler, where defined
  explain <method> <url>
                  say which route, middleware and handler a request would reach
  start           serve the app (createApp, then app.listen()) until Ctrl-C
  dev             serve the app for development, restarted when code changes
  shell           a REPL with the app started: app, resolve, em, client
  generate resource <name>
                  write an entity, its migration, routes, views and a test
  generate component <package>
                  write a component package: declaration, code, kit test
  db <command>    run a database command (migrate, migration:create, …): added by
                  the config's orm component
  <name> …        any other command a component of the config adds

Options:
  -h, --help      show this help; "dovetail <command> --help" shows a command's
  -v, --version   print Dovetail's version

Exit codes: 0 done, 1 failed, 2 called wrong.`

const commands: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  new: newCommand,
  info: infoCommand,
  check: checkCommand,
  routes: routesCommand,
  explain: explainCommand,
  start: startCommand,
  dev: devCommand,
  shell: shellCommand,
  generate: generateCommand,
}

/**
 * The `dovetail` command line, as a function: run one command with `argv`
 * (without `node` and the script) and return the exit code: 0 done, 1
 * failed, 2 called wrong. Output goes to `io`, the process's streams unless
 * given.
 *
 * The first word picks the command and the command parses the rest (with
 * node:util's parseArgs), so `db` can hand its arguments on untouched.
 *
 * @example
 * const code = await main(['new', 'my-app', '--preset', 'api'])
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv
  if (first === '--help' || first === '-h' || first === 'help') {
    io.out(usage)
    return exitCodes.ok
  }
  if (first === '--version' || first === '-v') {
    io.out(corePackage().version)
    return exitCodes.ok
  }
  if (first === undefined) {
    io.err(usage)
    return exitCodes.usage
  }
  if (first.startsWith('-')) {
    io.err(`Unknown option '${first}'. Options before a command: --help, --version.`)
    io.err(`Run "dovetail --help" for usage.`)
    return exitCodes.usage
  }
  // A name the core does not define may be a command a component of the config adds (db).
  const command = commands[first] ?? ((args: readonly string[], commandIo: CliIo) => componentCommand(first, args, commandIo, Object.keys(commands)))
  try {
    return await command(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(error.message)
      io.err(`Run "dovetail ${first} --help" for usage.`)
      return exitCodes.usage
    }
    io.err(error instanceof Error ? error.message : String(error))
    return exitCodes.failed
  }
}

export type { CliIo } from './io.js'
export { processIo } from './io.js'
