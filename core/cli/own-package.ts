import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The parts of Dovetail's own package.json the command line reads. */
export interface OwnPackage {
  version: string
  peerDependencies: Readonly<Record<string, string>>
  devDependencies: Readonly<Record<string, string>>
}

let cached: OwnPackage | undefined

/**
 * Dovetail's package.json, found by walking up from this file: the same code
 * runs from `core/cli/` (sources) and from `dist/core/cli/` (the published
 * build), which sit at different depths.
 *
 * @example
 * ownPackage().version // '0.1.0'
 */
export function ownPackage(): OwnPackage {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = readManifest(join(dir, 'package.json'))
    if (manifest?.name === 'dovetailjs') {
      cached = {
        version: String(manifest.version),
        peerDependencies: (manifest.peerDependencies ?? {}) as Record<string, string>,
        devDependencies: (manifest.devDependencies ?? {}) as Record<string, string>,
      }
      return cached
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`Dovetail's package.json was not found above ${fileURLToPath(import.meta.url)}; the installation is incomplete.`)
    dir = parent
  }
}

function readManifest(file: string): Record<string, unknown> | undefined {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    // No package.json at this level: keep walking up.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  return JSON.parse(text) as Record<string, unknown>
}
