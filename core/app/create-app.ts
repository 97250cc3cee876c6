import type { DovetailConfig } from '../config/define-config.js'
import type { App } from './app.js'
import { assembleApp, startComponents } from './assemble-app.js'
import { inspectConfig } from './inspect-config.js'

export { Environment } from './environment.js'

/**
 * Build an app from a config: load the preset and components, validate every
 * option and dependency, register services, define routes, start components.
 * Everything that can be wrong with a config fails here, before the first
 * request, with a `DovetailError` naming the component, the option and the fix.
 * `dovetail check` runs the same steps (all but the last, unless `--connect`)
 * and lists every problem instead of the first.
 *
 * @example
 * const app = await createApp(defineConfig({
 *   routes(r) { r.get('/hello/:name', (ctx) => ctx.text(`Hello ${ctx.params.name}`), { name: 'hello' }) },
 * }))
 * const res = await app.fetch(new Request('http://localhost/hello/world'))
 */
export async function createApp(config: DovetailConfig = {}): Promise<App> {
  const assembled = await assembleApp(await inspectConfig(config))
  await startComponents(assembled)
  return assembled.app
}
