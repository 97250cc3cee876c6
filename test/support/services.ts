import { createConnection } from 'node:net'
import { ciSetting, isCi } from './ci.js'

/** The real services the test suites talk to, at their standard local ports. */
export const services = {
  postgres: { host: '127.0.0.1', port: 5432, url: 'postgresql://postgres@127.0.0.1:5432/test' },
  mariadb: { host: '127.0.0.1', port: 3306, url: 'mysql://root@127.0.0.1:3306/test' },
  redis: { host: '127.0.0.1', port: 6379, url: 'redis://127.0.0.1:6379' },
} as const

export type ServiceName = keyof typeof services

const reachable = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 1000 })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
    socket.once('timeout', () => {
      socket.destroy()
      resolve(false)
    })
  })

/**
 * Whether a service is up. On a developer's machine a missing service makes
 * its suite skip with a loud warning; in CI (see {@link isCi}) it is a failure, so a
 * green CI run always means the suite ran against the real thing.
 *
 * @example
 * const hasPostgres = await serviceAvailable('postgres')
 * describe.skipIf(!hasPostgres)('orm on postgres', () => { ... })
 */
export async function serviceAvailable(name: ServiceName): Promise<boolean> {
  const { host, port } = services[name]
  if (await reachable(host, port)) return true
  const message = `${name} is not reachable at ${host}:${port}`
  if (isCi()) throw new Error(`${message}, and ${ciSetting()}: the ${name} suite must run in CI. Start ${name} (see .ci/run).`)
  process.stderr.write(`\n${'!'.repeat(72)}\n!! SKIPPING the ${name} suite: ${message}.\n!! Start ${name} to run it; in CI this is a failure.\n${'!'.repeat(72)}\n\n`)
  return false
}
