import { dirname, resolve } from 'node:path'
import type { Component } from '../component/define-component.js'
import { implementsContract } from '../component/contract-range.js'
import { slotContracts, slotNames, type SlotName } from '../component/slots.js'
import type { Catalogue } from '../discovery/catalogue.js'
import { loadComponent } from '../config/load-component.js'
import { loadMiddlewareList } from '../config/middleware-list.js'
import { resolveConfig } from '../config/resolve-config.js'
import { importConfig } from './import-config.js'
import type { CliIo } from './io.js'
import { parseOptions } from './parse-options.js'
import { UsageError } from './usage-error.js'

export const infoUsage = `Usage: dovetail info [--config <module>] [--env <name>]

Show the component in each slot of a config, after its preset, its overrides
and its environment's layer: its package, the contract range it implements
and whether this core's contract is in it. Then list every installed
component per slot, third-party packages included.

Options:
  -c, --config <module>  the module whose default export is the config  (default: app.ts)
  -e, --env <name>       the environment to resolve for  (default: the config's, else NODE_ENV, else development)
  -h, --help             show this help`

/** One row of the table: a slot, the component in it, its package, its contract range. */
interface Row {
  slot: string
  name: string
  from: string
  contract: string
}

/**
 * `dovetail info`: import a config module and print what each slot resolves
 * to, the way `createApp` resolves it (the same `resolveConfig` and
 * `loadComponent`), without registering or starting anything.
 *
 * @example
 * await infoCommand(['--config', 'app.ts'], processIo())
 * // container      inversify         dovetailjs 0.1.0   ^1.0
 */
export async function infoCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('info', args, {
    config: { type: 'string', short: 'c' },
    env: { type: 'string', short: 'e' },
    help: { type: 'boolean', short: 'h' },
  })
  if (values.help) {
    io.out(infoUsage)
    return 0
  }
  if (positionals.length) {
    throw new UsageError(`dovetail info takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  }
  const file = resolve(io.cwd ?? process.cwd(), values.config ?? 'app.ts')
  const config = await importConfig(file)
  // Components are discovered from the config's project, wherever the command runs from.
  const withRoot = { root: dirname(file), ...config }
  const resolved = await resolveConfig(values.env === undefined ? withRoot : { ...withRoot, environment: values.env })

  const rows: Row[] = []
  for (const slot of slotNames) {
    if (slot === 'middleware') {
      const list = await loadMiddlewareList(resolved.middlewareLayers, resolved.catalogue)
      if (list.length === 0) rows.push({ slot, name: '-', from: '', contract: '' })
      list.forEach((component, i) => rows.push(row(`${slot} ${i + 1}`, slot, component)))
      continue
    }
    const spec = resolved.components.get(slot)
    const component = spec === undefined ? undefined : await loadComponent(slot, spec, resolved.catalogue)
    rows.push(component ? row(slot, slot, component) : { slot, name: '-', from: '', contract: '' })
  }

  io.out(`${values.config ?? 'app.ts'}: preset ${resolved.preset}, environment ${resolved.environment}`)
  io.out('')
  table(io, ['slot', 'component', 'package', 'contract'], rows.map((r) => [r.slot, r.name, r.from, r.contract]))
  io.out('')
  io.out('Installed components:')
  io.out('')
  table(io, ['slot', 'name', 'package', 'contract'], installedRows(resolved.catalogue))
  return 0
}

function row(label: string, slot: SlotName, component: Component): Row {
  const { name, contract } = component.definition
  const from = component.source ? `${component.source.package} ${component.source.version}` : '(in config)'
  // createApp refuses a mismatch; info shows it, so the config can be looked at before it is fixed.
  const check = implementsContract(slot, contract) ? contract : `${contract} (this core provides ${slotContracts[slot]}: createApp will refuse it)`
  return { slot: label, name: component.source?.name ?? name, from, contract: check }
}

/** Every component the installed packages declare, by slot. */
function installedRows(catalogue: Catalogue): string[][] {
  return slotNames.flatMap((slot) =>
    catalogue.components
      .filter((c) => c.slot === slot)
      .map((c) => [slot, c.name, `${c.package} ${c.version}`, implementsContract(slot, c.contract) ? c.contract : `${c.contract} (this core provides ${slotContracts[slot]}: createApp will refuse it)`]),
  )
}

function table(io: CliIo, head: readonly string[], rows: readonly string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)) + 2)
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('').trimEnd()
  io.out(line(head))
  for (const r of rows) io.out(line(r))
}
