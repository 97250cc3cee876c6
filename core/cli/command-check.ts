import { assembleApp, startComponents } from '../app/assemble-app.js'
import { type ConfigProblem, inspectConfig } from '../app/inspect-config.js'
import { settingLines } from './config-lines.js'
import { describeSource, type SourceContext } from './describe-source.js'
import { type CliIo, paint } from './io.js'
import { configOptions, configUsage, openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { problemLine } from './problem-line.js'
import { exitCodes, UsageError } from './usage-error.js'

export const checkUsage = `Usage: dovetail check [--config <module>] [--env <name>] [--connect]

Run every check createApp runs on a config, without serving: the config's
shape, its preset and slots, each component's package, slot, contract range
and options, the slots components require, each component's registrations,
the routes and the container's dependency graph. Prints one line per problem
with where it is and what to do, and exits with 1 if there is any. Starts
nothing, so no database is contacted, unless --connect: then every component
is started (the database connected, the migrations run as the config says)
and stopped.

Options:
${configUsage}
      --connect          also start and stop the components
  -h, --help             show this help`

/**
 * `dovetail check`: what `createApp` would refuse in a config, every problem
 * at once. The same code as `createApp` runs ({@link inspectConfig}, then
 * {@link assembleApp}, and with `--connect` {@link startComponents}), so
 * what it passes, `createApp` starts.
 *
 * @example
 * await checkCommand(['--config', 'app.ts'], processIo()) // 0, or 1 with one line per problem
 */
export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('check', args, { ...configOptions, connect: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.out(checkUsage)
    return exitCodes.ok
  }
  if (positionals.length) throw new UsageError(`dovetail check takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  const opened = await openConfig(values, io)
  const { red, green } = paint(io)
  const report = (problems: readonly ConfigProblem[], context?: SourceContext): number => {
    for (const { where, source, error } of problems) {
      const at = context && source ? `${where} (${describeSource(source, context)})` : where
      io.out(`${red('✗')} ${at}: ${problemLine(error)}`)
    }
    io.out(`${problems.length} problem${problems.length === 1 ? '' : 's'}: createApp would refuse this config.`)
    return exitCodes.failed
  }

  let inspection
  try {
    inspection = await inspectConfig(opened.config)
  } catch (error) {
    // Too malformed to resolve: the shape of the config itself, its preset, a slot name.
    io.out(`${opened.shown}:`)
    return report([{ where: 'config', error }])
  }
  const { resolved } = inspection
  const environmentSource = opened.environmentSource ?? resolved.environmentSource
  const context: SourceContext = { shown: opened.shown, lines: await settingLines(opened.file), preset: resolved.preset }
  io.out(`${opened.shown}: preset ${resolved.preset}, environment ${resolved.environment} (${describeSource(environmentSource, context)})`)
  if (inspection.problems.length) return report(inspection.problems, context)

  let assembled
  try {
    assembled = await assembleApp(inspection)
  } catch (error) {
    return report([{ where: 'assembly', error }])
  }
  const counted = `${assembled.components.length} components`
  if (!values.connect) {
    await assembled.container.dispose()
    io.out(`${green('✓')} ${counted} checked: createApp would accept this config. Nothing was started; --connect starts the components (connects the database).`)
    return exitCodes.ok
  }
  try {
    await startComponents(assembled)
  } catch (error) {
    return report([{ where: 'start', error }])
  }
  await assembled.app.close()
  io.out(`${green('✓')} ${counted} checked, started and stopped: createApp would accept this config.`)
  return exitCodes.ok
}
