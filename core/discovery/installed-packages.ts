import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** A package found on disk, with its parsed package.json. */
export interface InstalledPackage {
  name: string
  version: string
  /** The directory holding its package.json. */
  dir: string
  manifest: Record<string, unknown>
}

const dependencyFields = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const

/**
 * The packages an app can use: the app's own package (the nearest package.json
 * at or above `root`) and every package it lists as a dependency of any kind,
 * found where Node would find them (`node_modules` in `root` and above).
 * Packages it does not list are not looked at, as in npm: what you use, you
 * depend on. A listed package that is not installed is left out (npm leaves
 * optional ones out too).
 *
 * @example
 * appPackages('/srv/shop').map((p) => p.name) // ['shop', 'dovetailjs', 'dovetail-handlebars', 'eta', ...]
 */
export function appPackages(root: string): InstalledPackage[] {
  const own = nearestPackage(root)
  if (!own) return []
  const names = new Set<string>()
  for (const field of dependencyFields) {
    const deps = own.manifest[field]
    if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) names.add(name)
  }
  const found: InstalledPackage[] = [own]
  for (const name of [...names].sort()) {
    const pkg = findInstalled(name, own.dir)
    if (pkg) found.push(pkg)
  }
  return found
}

/** The package whose package.json is nearest at or above `dir`. */
export function nearestPackage(dir: string): InstalledPackage | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const pkg = readPackage(at)
    if (pkg) return pkg
    if (dirname(at) === at) return undefined
  }
}

/** Where Node's resolution would find package `name` from `dir`: `node_modules/<name>` here or above. */
export function findInstalled(name: string, dir: string): InstalledPackage | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const pkg = readPackage(join(at, 'node_modules', name))
    if (pkg) return pkg
    if (dirname(at) === at) return undefined
  }
}

let own: InstalledPackage | undefined

/**
 * Dovetail's own package (dovetailjs), found by walking up from this file: the
 * same code runs from `core/discovery/` (sources) and `dist/core/discovery/`
 * (the published build), which sit at different depths.
 *
 * @example
 * corePackage().version // '0.1.0'
 */
export function corePackage(): InstalledPackage {
  if (own) return own
  for (let at = dirname(fileURLToPath(import.meta.url)); ; at = dirname(at)) {
    const pkg = readPackage(at)
    if (pkg?.name === 'dovetailjs') return (own = pkg)
    if (dirname(at) === at) throw new Error(`The dovetailjs package.json was not found above ${fileURLToPath(import.meta.url)}; the installation is incomplete.`)
  }
}

function readPackage(dir: string): InstalledPackage | undefined {
  let text: string
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // Nothing here (or a file where a folder would be): keep looking.
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
    throw error
  }
  let manifest: Record<string, unknown>
  try {
    manifest = JSON.parse(text) as Record<string, unknown>
  } catch (error) {
    throw new Error(`${join(dir, 'package.json')} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  return { name: String(manifest.name ?? ''), version: String(manifest.version ?? '0.0.0'), dir, manifest }
}
