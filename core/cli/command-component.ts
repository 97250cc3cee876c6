import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { loadComponents } from '../config/load-components.js'
import { resolveConfig } from '../config/resolve-config.js'
import { importConfig } from './import-config.js'
import type { CliIo } from './io.js'
import { UsageError } from './usage-error.js'

const usageOf = (name: string) => `Usage: dovetail ${name} … [--config <module>]

'${name}' is not a command of the core: it comes from a component of your
app's config that adds it (the orm components add 'db'). Run it in a project,
where --config (default app.ts) names the config, and "dovetail ${name} --help"
shows that component's own usage.`

/**
 * `dovetail <name> …` for a name the core does not define: import the config
 * (`--config`, default `app.ts`), load its components the way createApp
 * does, and run the `commands[name]` of the one component that has it. How
 * `dovetail db` reaches the orm component, whichever it is: the core knows no
 * component by name.
 *
 * @example
 * await componentCommand('db', ['migrate', '--config', 'app.ts'], processIo(), ['new', 'info'])
 */
export async function componentCommand(name: string, args: readonly string[], io: CliIo, coreCommands: readonly string[] = []): Promise<number> {
  const core = coreCommands.join(', ')
  const { values } = parseArgs({ args: [...args], options: { config: { type: 'string', short: 'c' } }, strict: false, allowPositionals: true })
  const configArg = typeof values.config === 'string' ? values.config : 'app.ts'
  const file = resolve(io.cwd ?? process.cwd(), configArg)
  const asksHelp = args.includes('--help') || args.includes('-h') || args[0] === 'help'
  if (!existsSync(file)) {
    if (asksHelp) {
      io.out(usageOf(name))
      return 0
    }
    throw new UsageError(
      `Unknown command '${name}'. Commands: ${core}, and those the components of a project's config add (db, from an orm component); ` +
        `there is no config at ${file} to ask. Run it in a project, or pass --config <module>.`,
    )
  }
  const config = await importConfig(file)
  const resolved = await resolveConfig({ root: dirname(file), ...config })
  const components = (await loadComponents(resolved)).map((loaded) => loaded.component)
  const providers = components.filter((c) => Object.hasOwn(c.definition.commands ?? {}, name))
  if (providers.length === 0) {
    const offered = [...new Set(components.flatMap((c) => Object.keys(c.definition.commands ?? {})))]
    throw new UsageError(
      `Unknown command '${name}'. Commands: ${core}${offered.length ? `, and from ${configArg}'s components: ${offered.join(', ')}` : ''}.`,
    )
  }
  if (providers.length > 1) {
    throw new Error(`The components ${providers.map((c) => `'${c.definition.name}'`).join(' and ')} both add the command '${name}'; remove one from the config.`)
  }
  // The config is imported by now, so a TypeScript config's loader is in place for the command;
  // it gets the config this found (app.ts by default), as if --config had been given.
  const withConfig = typeof values.config === 'string' ? args : [...args, '--config', configArg]
  return providers[0]!.definition.commands![name]!.run(withConfig, { ...io, program: `dovetail ${name}` })
}
