import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A package to put in a fake app's node_modules: its package.json fields and files. */
export interface FakePackage {
  name: string
  version?: string
  dovetail?: unknown
  exports?: unknown
  files?: Record<string, string>
  peerDependencies?: Record<string, string>
}

/**
 * A component module that needs nothing installed: the brand is a registered
 * symbol, so an object made here is a component to any copy of dovetailjs.
 */
export const componentModule = (definition: { name: string; slot: string; contract: string }, body = '') => `
const definition = { ...${JSON.stringify(definition)}, ${body} }
const factory = (input) => ({ [Symbol.for('dovetail.component')]: true, definition, input })
factory.definition = definition
export default factory
`

/**
 * An app directory with a package.json listing `dependencies`, and the given
 * packages installed under node_modules (listed or not).
 *
 * @example
 * const root = fakeApp(['acme-router'], [{ name: 'acme-router', dovetail: {...}, files: { 'index.js': '...' } }])
 */
export function fakeApp(dependencies: readonly string[], packages: readonly FakePackage[], app: Record<string, unknown> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'dovetail-discovery-'))
  const deps = Object.fromEntries(dependencies.map((d) => [d, '*']))
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'fake-app', private: true, type: 'module', dependencies: deps, ...app }))
  for (const pkg of packages) {
    const dir = join(root, 'node_modules', pkg.name)
    mkdirSync(dir, { recursive: true })
    const manifest = { name: pkg.name, version: pkg.version ?? '1.0.0', type: 'module', exports: pkg.exports ?? { '.': './index.js' }, peerDependencies: pkg.peerDependencies, dovetail: pkg.dovetail }
    writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest))
    for (const [file, text] of Object.entries(pkg.files ?? {})) {
      mkdirSync(join(dir, file, '..'), { recursive: true })
      writeFileSync(join(dir, file), text)
    }
  }
  return root
}
