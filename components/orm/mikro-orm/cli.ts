/**
 * The database command line's entry point. A project calls it from an npm
 * script, e.g. `"db:migrate": "tsx components/orm/mikro-orm/cli.ts migrate --config app/config.ts"`.
 * Run it without arguments for the list of commands.
 */
import { runDbCli } from './run-cli.js'

process.exitCode = await runDbCli(process.argv.slice(2))
