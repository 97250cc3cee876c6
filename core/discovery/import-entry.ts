import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { exports as resolveExports } from 'resolve.exports'
import type { Provenance } from './catalogue.js'

/**
 * Import the module behind a package's export subpath (`'.'`,
 * `'./components/widget'`), as the app would import it. The bare specifier
 * goes first, so the package's own `exports`, tsconfig paths and test runners'
 * aliases apply; when it cannot be resolved from here (Dovetail linked from
 * elsewhere, a strict pnpm layout), the subpath is resolved in the declaring
 * package's `exports` with resolve.exports, the way Node does it, and the file
 * imported by URL.
 *
 * @example
 * const module = await importEntry({ package: 'dovetail-handlebars', version: '1.0.0', dir }, '.')
 */
export async function importEntry(from: Provenance, entry: string): Promise<Record<string, unknown>> {
  const specifier = entry === '.' ? from.package : `${from.package}/${entry.slice(2)}`
  try {
    return (await import(specifier)) as Record<string, unknown>
  } catch (error) {
    if (!isNotFound(error, specifier)) throw error
    const manifest = JSON.parse(readFileSync(join(from.dir, 'package.json'), 'utf8')) as Parameters<typeof resolveExports>[0]
    const [target] = resolveExports(manifest, entry, { conditions: ['node', 'import'] }) ?? []
    if (!target) throw error
    return (await import(pathToFileURL(join(from.dir, target)).href)) as Record<string, unknown>
  }
}

// Vitest and bundlers report a failed resolution with their own message, not Node's code.
const resolutionMessage = /Cannot find (module|package)|Failed to load url|Failed to resolve/

/**
 * Whether an import failed because a module could not be found (Node's
 * ERR_MODULE_NOT_FOUND, or a test runner's or bundler's message for it),
 * rather than because the module threw.
 *
 * @example
 * await import('left-pad').catch((e) => isModuleNotFound(e)) // true when it is not installed
 */
export function isModuleNotFound(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  return e?.code === 'ERR_MODULE_NOT_FOUND' || resolutionMessage.test(typeof e?.message === 'string' ? e.message : '')
}

/** Whether `error` says `specifier` itself could not be resolved (not a module it imports). */
export function isNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string }
  const message = typeof e?.message === 'string' ? e.message : ''
  if (e?.code === 'ERR_MODULE_NOT_FOUND' || e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`)
  return isModuleNotFound(error) && message.includes(specifier)
}
