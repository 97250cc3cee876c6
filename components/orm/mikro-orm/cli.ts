/**
 * The database command line on its own, without the `dovetail` bin: the same
 * as `dovetail db` (which reaches `runDbCli` through this component's
 * `commands.db`), e.g. `node node_modules/dovetailjs/dist/components/orm/mikro-orm/cli.js migrate --config dist/app.js`.
 * A project's npm scripts use `dovetail db …`. Run it without arguments for the list of commands.
 */
import { runDbCli } from './run-cli.js'

process.exitCode = await runDbCli(process.argv.slice(2))
