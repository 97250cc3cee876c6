import type { App } from '../app/app.js'
import { createApp } from '../app/create-app.js'
import type { CliIo } from './io.js'
import type { OpenedConfig } from './open-config.js'
import { problemLine } from './problem-line.js'

/**
 * Build and start the app of an opened config for a command that runs it
 * (`start`, `shell`); a config `createApp` refuses is told in one line,
 * without a stack, and the command then exits with 1.
 *
 * @example
 * const app = await bootApp(await openConfig(values, io), io)
 * if (!app) return exitCodes.failed
 */
export async function bootApp(opened: OpenedConfig, io: CliIo): Promise<App | undefined> {
  try {
    return await createApp(opened.config)
  } catch (error) {
    io.err(`${opened.shown}: the app did not start: ${problemLine(error)}`)
    return undefined
  }
}
