import { dirname } from 'node:path'
import { type InspectedEntry, inspectConfig } from '../app/inspect-config.js'
import { implementsContract } from '../component/contract-range.js'
import { isComponent, isComponentFactory } from '../component/define-component.js'
import { slotContracts, slotNames, type SlotName } from '../component/slots.js'
import { isNamedSpec } from '../config/define-config.js'
import type { SettingSource } from '../config/resolve-config.js'
import type { Catalogue } from '../discovery/catalogue.js'
import { DovetailError } from '../errors/dovetail-error.js'
import { settingLines } from './config-lines.js'
import { describeSource, type SourceContext, sourceJson } from './describe-source.js'
import { type CliIo, paint } from './io.js'
import { maskedOptions, optionPairs } from './masked-options.js'
import { configOptions, configUsage, openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { problemLine } from './problem-line.js'
import { table } from './table.js'
import { exitCodes, UsageError } from './usage-error.js'

export const infoUsage = `Usage: dovetail info [--config <module>] [--env <name>] [--options] [--json]

Show the component in each slot of a config, after its preset, its overrides
and its environment's layer: its package, the contract range it implements,
and where the choice came from (the preset, the config's line, the
environment's layer). Then where app.listen() listens, and every installed
component per slot, third-party packages included. A component that
createApp would refuse is marked, with why, and the exit code is 1.

Options:
${configUsage}
      --options          also show each component's effective options, secrets masked
      --json             print all of it, options included, as one JSON document
  -h, --help             show this help`

/** One slot of the report. */
interface SlotReport {
  slot: SlotName
  label: string
  component: string | null
  package: string | null
  version: string | null
  /** A component the config built itself (`mikroOrm({ … })`), not one named from a package. */
  inConfig: boolean
  contract: string | null
  contractSatisfied: boolean | null
  source: SettingSource | undefined
  options: unknown
  problem: string | null
  code: string | null
}

/**
 * `dovetail info`: import a config module and show what each slot resolves
 * to and where that choice came from, checked the way `createApp` checks it
 * (the same {@link inspectConfig}), without registering or starting
 * anything. A broken component does not stop the report: its row is marked.
 *
 * @example
 * await infoCommand(['--config', 'app.ts'], processIo())
 * // container      awilix         dovetailjs 0.1.0   ^1.0      preset api
 */
export async function infoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('info', args, { ...configOptions, options: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.out(infoUsage)
    return exitCodes.ok
  }
  if (positionals.length) {
    throw new UsageError(`dovetail info takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  }
  const opened = await openConfig(values, io)
  const inspection = await inspectConfig(opened.config)
  const { resolved } = inspection
  const context: SourceContext = { shown: opened.shown, lines: await settingLines(opened.file), preset: resolved.preset }
  const environmentSource = opened.environmentSource ?? resolved.environmentSource
  const root = dirname(opened.file)

  const slots: SlotReport[] = []
  for (const slot of slotNames) {
    const entries = inspection.entries.filter((e) => e.slot === slot)
    if (slot !== 'middleware' && entries.length === 0) slots.push(emptyReport(slot, slot, undefined))
    if (slot === 'middleware' && entries.length === 0) slots.push(emptyReport(slot, slot, resolved.middlewareLayers.at(-1)?.source))
    for (const entry of entries) slots.push(entry.component || entry.error !== undefined ? slotReport(entry, root) : emptyReport(slot, entry.label, entry.source))
  }
  const marked = new Set(slots.filter((s) => s.problem).map((s) => s.label))
  const problems = [
    ...slots.filter((s) => s.problem).map((s) => ({ where: s.label, problem: s.problem!, code: s.code })),
    ...inspection.problems.filter((p) => !marked.has(p.where)).map((p) => ({ where: p.where, problem: problemLine(p.error), code: codeOf(p.error) })),
  ]
  const server = {
    port: { value: resolved.server.port ?? 3000, source: resolved.serverSources.port },
    host: { value: resolved.server.host ?? '127.0.0.1', source: resolved.serverSources.host },
  }
  const exitCode = problems.length ? exitCodes.failed : exitCodes.ok

  if (values.json) {
    io.out(
      JSON.stringify(
        {
          config: opened.shown,
          preset: resolved.preset,
          environment: { name: resolved.environment, source: sourceJson(environmentSource, context) },
          slots: slots.map(({ source, ...s }) => ({ ...s, source: sourceJson(source, context) })),
          server: {
            port: { value: server.port.value, source: sourceJson(server.port.source, context) },
            host: { value: server.host.value, source: sourceJson(server.host.source, context) },
          },
          problems,
          installed: installed(resolved.catalogue),
        },
        null,
        2,
      ),
    )
    return exitCode
  }

  const { red } = paint(io)
  const from = (source: SettingSource | undefined) => describeSource(source, context)
  io.out(`${opened.shown}: preset ${resolved.preset}, environment ${resolved.environment} (${from(environmentSource)})`)
  io.out('')
  table(
    io,
    ['slot', 'component', 'package', 'contract', 'from'],
    slots.map((s) => [
      s.problem ? `${s.label} ${red('✗')}` : s.label,
      s.component ?? '-',
      s.package === null ? (s.inConfig ? '(in config)' : '') : `${s.package} ${s.version}`,
      s.contract === null ? '' : s.contractSatisfied === false ? `${s.contract} (this core provides ${slotContracts[s.slot]}: createApp will refuse it)` : s.contract,
      from(s.source),
    ]),
  )
  io.out('')
  io.out(`listen on: ${server.host.value} (${from(server.host.source)}), port ${server.port.value} (${from(server.port.source)})`)
  const withOptions = slots.filter((s) => s.options !== null && optionPairs(s.options).length > 0)
  if (values.options && withOptions.length) {
    io.out('')
    io.out('Options (secrets masked):')
    io.out('')
    table(io, ['slot', 'options'], withOptions.map((s) => [s.label, optionPairs(s.options).join('  ')]))
  }
  io.out('')
  io.out('Installed components:')
  io.out('')
  table(
    io,
    ['slot', 'name', 'package', 'contract'],
    installed(resolved.catalogue).map((c) => [c.slot, c.name, `${c.package} ${c.version}`, c.contractSatisfied ? c.contract : `${c.contract} (this core provides ${slotContracts[c.slot]}: createApp will refuse it)`]),
  )
  if (problems.length) {
    io.out('')
    for (const p of problems) io.out(`${red('✗')} ${p.where}: ${p.problem}`)
    io.out(`${problems.length} problem${problems.length === 1 ? '' : 's'}: createApp would refuse this config (dovetail check lists the rest, if any, past the components).`)
  }
  return exitCode
}

function slotReport(entry: InspectedEntry, root: string): SlotReport {
  const component = entry.component
  const definition = component?.definition ?? definitionOf(entry.spec)
  const contract = typeof definition?.contract === 'string' ? definition.contract : null
  // semver answers false for a range it cannot parse, which prepareComponent reports as the problem.
  const satisfied = contract === null ? null : implementsContract(entry.slot, contract)
  return {
    slot: entry.slot,
    label: entry.label,
    component: component?.source?.name ?? definition?.name ?? specName(entry.spec),
    package: component?.source?.package ?? null,
    inConfig: component ? component.source === undefined : definition !== undefined,
    version: component?.source?.version ?? null,
    contract,
    contractSatisfied: satisfied,
    source: entry.source,
    options: entry.ready ? maskedOptions(entry.ready.options ?? {}, root) : null,
    problem: entry.error === undefined ? null : problemLine(entry.error),
    code: codeOf(entry.error),
  }
}

const emptyReport = (slot: SlotName, label: string, source: SettingSource | undefined): SlotReport => ({
  slot,
  label,
  component: null,
  package: null,
  version: null,
  inConfig: false,
  contract: null,
  contractSatisfied: null,
  source,
  options: null,
  problem: null,
  code: null,
})

const codeOf = (error: unknown): string | null => (error instanceof DovetailError ? error.code : null)

/** The definition of a spec that is a component or factory, for a row whose component failed a later check. */
const definitionOf = (spec: unknown) => (isComponent(spec) || isComponentFactory(spec) ? spec.definition : undefined)

const specName = (spec: unknown): string => (typeof spec === 'string' ? spec : isNamedSpec(spec) ? spec.use : '(not a component)')

/** Every component the installed packages declare, by slot. */
function installed(catalogue: Catalogue) {
  return slotNames.flatMap((slot) =>
    catalogue.components
      .filter((c) => c.slot === slot)
      .map((c) => ({ slot, name: c.name, package: c.package, version: c.version, contract: c.contract, contractSatisfied: implementsContract(slot, c.contract) })),
  )
}
