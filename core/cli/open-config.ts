import { dirname, resolve } from 'node:path'
import type { DovetailConfig } from '../config/define-config.js'
import type { SettingSource } from '../config/resolve-config.js'
import { importConfig } from './import-config.js'
import type { CliIo } from './io.js'

/** A config module opened for a command: the config, as `createApp` would get it, and how to name where its settings are. */
export interface OpenedConfig {
  /** The module's absolute path. */
  file: string
  /** The module as the command line named it (`app.ts`), for messages. */
  shown: string
  /** The config, with `root` set to the module's folder and `environment` to `--env` when given. */
  config: DovetailConfig
  /** Set when `--env` chose the environment: the resolved config's `environmentSource` is then this flag. */
  environmentSource?: SettingSource
}

/** The options every command that reads a config takes. */
export const configOptions = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
} as const

/** The usage lines of {@link configOptions}. */
export const configUsage = `  -c, --config <module>  the module whose default export is the config  (default: app.ts)
  -e, --env <name>       the environment to resolve for  (default: the config's, else NODE_ENV, else development)`

/**
 * Import the config module `--config` names (default `app.ts`, relative to
 * the command's directory) for a command: components are discovered from the
 * module's project, wherever the command runs from, and `--env` picks the
 * environment.
 *
 * @example
 * const { config } = await openConfig({ config: 'app.ts', env: 'production' }, io)
 */
export async function openConfig(values: { config?: string | undefined; env?: string | undefined }, io: CliIo): Promise<OpenedConfig> {
  const shown = values.config ?? 'app.ts'
  const file = resolve(io.cwd ?? process.cwd(), shown)
  const config: DovetailConfig = { root: dirname(file), ...(await importConfig(file)) }
  if (values.env === undefined) return { file, shown, config }
  return { file, shown, config: { ...config, environment: values.env }, environmentSource: { layer: 'flag', path: '--env' } }
}
