import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { ciSetting, isCi } from './ci.js'

/** Programs from Debian's packages that some suites run, and the package that installs each. */
export const binaries = {
  nginx: { package: 'nginx-light', file: 'nginx' },
  lighttpd: { package: 'lighttpd', file: 'lighttpd' },
  'redis-server': { package: 'redis-server', file: 'redis-server' },
  ip: { package: 'iproute2', file: 'ip' },
} as const

export type BinaryName = keyof typeof binaries

/** The full path of an installed program, looking in PATH and in the sbin folders (not on a non-root PATH). */
export function binaryPath(name: BinaryName): string | undefined {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin']
  for (const folder of folders) {
    if (!folder) continue
    const candidate = join(folder, binaries[name].file)
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/**
 * Whether a program is installed. On a developer's machine a missing one makes
 * its suite skip with a loud warning; in CI (see {@link isCi}) it is a failure, so a
 * green CI run always means the suite ran against the real program.
 *
 * @example
 * const hasNginx = binaryAvailable('nginx')
 * describe.skipIf(!hasNginx)('behind nginx', () => { ... })
 */
export function binaryAvailable(name: BinaryName): boolean {
  if (binaryPath(name)) return true
  const { package: pkg, file } = binaries[name]
  const message = `${file} is not installed`
  if (isCi()) throw new Error(`${message}, and ${ciSetting()}: the ${name} suite must run in CI. Install the Debian package ${pkg} (see .ci/run).`)
  process.stderr.write(`\n${'!'.repeat(72)}\n!! SKIPPING the ${name} suite: ${message}.\n!! apt-get install -y ${pkg} to run it; in CI this is a failure.\n${'!'.repeat(72)}\n\n`)
  return false
}
