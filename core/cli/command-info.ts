import { resolve } from 'node:path'
import type { Component } from '../component/define-component.js'
import { slotContracts, slotNames, type SlotName } from '../component/slots.js'
import { loadComponent } from '../config/load-component.js'
import { loadMiddlewareList } from '../config/middleware-list.js'
import { resolveConfig } from '../config/resolve-config.js'
import { importConfig } from './import-config.js'
import type { CliIo } from './io.js'
import { parseOptions } from './parse-options.js'
import { UsageError } from './usage-error.js'

export const infoUsage = `Usage: dovetail info [--config <module>] [--env <name>]

Show the component in each slot of a config, after its preset, its overrides
and its environment's layer, with the contract version each implements.

Options:
  -c, --config <module>  the module whose default export is the config  (default: app.ts)
  -e, --env <name>       the environment to resolve for  (default: the config's, else NODE_ENV, else development)
  -h, --help             show this help`

/** One row of the table: a slot, the component in it, its contract version. */
interface Row {
  slot: string
  name: string
  contract: string
}

/**
 * `dovetail info`: import a config module and print what each slot resolves
 * to, the way `createApp` resolves it (the same `resolveConfig` and
 * `loadComponent`), without registering or starting anything.
 *
 * @example
 * await infoCommand(['--config', 'app.ts'], processIo())
 * // container      container/inversify          v1
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
  const resolved = await resolveConfig(values.env === undefined ? config : { ...config, environment: values.env })

  const rows: Row[] = []
  for (const slot of slotNames) {
    if (slot === 'middleware') {
      const list = await loadMiddlewareList(resolved.middlewareLayers)
      if (list.length === 0) rows.push({ slot, name: '-', contract: '' })
      list.forEach((component, i) => rows.push(row(`${slot} ${i + 1}`, slot, component)))
      continue
    }
    const spec = resolved.components.get(slot)
    const component = spec === undefined ? undefined : await loadComponent(slot, spec)
    rows.push(component ? row(slot, slot, component) : { slot, name: '-', contract: '' })
  }

  io.out(`${values.config ?? 'app.ts'}: preset ${resolved.preset}, environment ${resolved.environment}`)
  io.out('')
  const slotWidth = Math.max(...rows.map((r) => r.slot.length)) + 2
  const nameWidth = Math.max(...rows.map((r) => r.name.length)) + 2
  io.out(`${'slot'.padEnd(slotWidth)}${'component'.padEnd(nameWidth)}contract`)
  for (const r of rows) io.out(`${r.slot.padEnd(slotWidth)}${r.name.padEnd(nameWidth)}${r.contract}`.trimEnd())
  return 0
}

function row(label: string, slot: SlotName, component: Component): Row {
  const { name, api } = component.definition
  const provided = slotContracts[slot]
  // createApp refuses a mismatch; info shows it, so the config can be looked at before it is fixed.
  const contract = api === provided ? `v${api}` : `v${api} (this core provides v${provided}: createApp will refuse it)`
  return { slot: label, name, contract }
}
