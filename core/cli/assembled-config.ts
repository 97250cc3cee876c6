import { dirname } from 'node:path'
import { type AssembledApp, assembleApp } from '../app/assemble-app.js'
import { inspectConfig } from '../app/inspect-config.js'
import type { CliIo } from './io.js'
import { type OpenedConfig, openConfig } from './open-config.js'
import { problemLine } from './problem-line.js'

/** A config assembled as createApp would, nothing started: what `routes` and `explain` read. */
export interface AssembledConfig {
  opened: OpenedConfig
  assembled: AssembledApp
  /** The config module's folder: sources are shown relative to it. */
  root: string
}

/**
 * Open the config `--config` names and assemble its app the way createApp
 * does, without starting a component, run `use` with it, and dispose the
 * container after. A config createApp would refuse is reported (its first
 * problem, and `dovetail check` for the rest) and `use` is not run: the
 * result is then 1, the exit code.
 *
 * @example
 * return withAssembledConfig(values, io, async ({ assembled }) => { … return 0 })
 */
export async function withAssembledConfig(
  values: { config?: string | undefined; env?: string | undefined },
  io: CliIo,
  use: (config: AssembledConfig) => Promise<number> | number,
): Promise<number> {
  const opened = await openConfig(values, io)
  let assembled: AssembledApp
  try {
    assembled = await assembleApp(await inspectConfig(opened.config))
  } catch (error) {
    io.err(`${opened.shown}: createApp would refuse this config: ${problemLine(error)}`)
    io.err('Run "dovetail check" to list every problem.')
    return 1
  }
  try {
    return await use({ opened, assembled, root: dirname(opened.file) })
  } finally {
    await assembled.container.dispose()
  }
}
