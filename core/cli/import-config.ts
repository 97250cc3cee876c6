import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import type { DovetailConfig } from '../config/define-config.js'
import { UsageError } from './usage-error.js'

const typeScript = /\.[cm]?tsx?$/

let tsxRegistered = false

/**
 * Make a TypeScript module importable before it is imported. Node 20 cannot
 * load `app.ts` by itself; when this command line runs as compiled JavaScript
 * (the published `dovetail` bin), tsx's loader is registered for the rest of
 * the process (tsx is a dev dependency of every project `dovetail new`
 * makes). Run from its sources (under tsx or vitest), TypeScript loads
 * already, which is what this file's own `.ts` URL says.
 *
 * @example
 * await prepareTypeScript('/srv/app/app.ts')
 * const module = await import(pathToFileURL('/srv/app/app.ts').href)
 */
export async function prepareTypeScript(file: string): Promise<void> {
  if (!typeScript.test(file) || tsxRegistered || import.meta.url.endsWith('.ts')) return
  let api: { register(): unknown }
  try {
    api = (await import('tsx/esm/api')) as { register(): unknown }
  } catch (error) {
    throw new Error(
      `${file} is TypeScript, which Node ${process.versions.node} cannot import without a loader, and tsx is not installed. ` +
        `Install it (npm install --save-dev tsx) or run the command through it (npx tsx node_modules/dovetailjs/dist/core/cli/bin.js …).`,
      { cause: error },
    )
  }
  api.register()
  tsxRegistered = true
}

/**
 * Import a config module and return its config: the default export, else an
 * export named `config`, or what a function exported so returns; the orm
 * component's `db` command line reads modules the same way.
 *
 * @example
 * const config = await importConfig('/srv/app/app.ts')
 */
export async function importConfig(file: string): Promise<DovetailConfig> {
  if (!existsSync(file)) throw new UsageError(`The config module ${file} does not exist. Pass --config <module>, e.g. --config app.ts.`)
  await prepareTypeScript(file)
  let module: Record<string, unknown>
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  } catch (error) {
    throw new Error(`Could not import the config module ${file}: ${(error as Error).message}`, { cause: error })
  }
  let value = module.default ?? module.config
  // A function that builds the config from the environment (as the wiki example's does).
  if (typeof value === 'function') value = await (value as () => unknown)()
  if (isApp(value)) {
    await (value as { close(): Promise<void> }).close()
    throw new Error(`${file} exports an app, already built. Export its config instead (export default defineConfig({ ... })), as dovetail new does.`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`${file} exports no config: give it a default export, export default defineConfig({ ... }).`)
  }
  return value as DovetailConfig
}

const isApp = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { fetch?: unknown }).fetch === 'function' &&
  typeof (value as { close?: unknown }).close === 'function'
