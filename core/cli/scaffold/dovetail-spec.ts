import { readFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { InstalledPackage } from '../../discovery/installed-packages.js'

/**
 * How a new project should depend on dovetailjs: the way the running
 * dovetailjs was installed when that was from a file (`npx --package
 * ./dovetailjs-0.1.0.tgz dovetail new …`, or a project that depends on a
 * tarball or a folder), so that `npm install` in the new project gets the
 * same code; otherwise `^<version>` from the registry. The way it was installed
 * is the dependency on dovetailjs in the package.json of the folder whose
 * node_modules holds it (npx writes one too).
 *
 * @example
 * dovetailSpec(corePackage()) // '^0.1.0', or 'file:/home/ada/dovetailjs-0.1.0.tgz'
 */
export function dovetailSpec(core: InstalledPackage): string {
  const registry = `^${core.version}`
  const modules = dirname(core.dir)
  if (basename(modules) !== 'node_modules') return registry
  const holder = dirname(modules)
  let manifest: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
  try {
    manifest = JSON.parse(readFileSync(join(holder, 'package.json'), 'utf8')) as typeof manifest
  } catch {
    // A global install has no package.json above it; the registry's version is the answer then.
    return registry
  }
  const spec = manifest.dependencies?.[core.name] ?? manifest.devDependencies?.[core.name]
  if (!spec?.startsWith('file:')) return registry
  // Relative to the folder that holds it; the new project is somewhere else.
  return `file:${resolve(holder, spec.slice('file:'.length))}`
}
