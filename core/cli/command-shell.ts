import { once } from 'node:events'
import { start } from 'node:repl'
import * as dovetail from '../index.js'
import { Orm } from '../slots/orm.js'
import { createTestClient } from '../testing/test-client.js'
import { bootApp } from './boot-app.js'
import type { CliIo } from './io.js'
import { configOptions, configUsage, openConfig } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { exitCodes, UsageError } from './usage-error.js'

export const shellUsage = `Usage: dovetail shell [--config <module>] [--env <name>]

Start the app from a config (createApp: components started, the database
connected) and open a REPL with it at hand:

  app        the App (app.fetch, app.url, app.resolve)
  container  its container
  resolve    resolve(token): a service, e.g. resolve(dovetail.Logger)
  em         a unit of work of the ORM (a MikroORM EntityManager), when the
             config has an orm component: await em.find(Note, {})
  client     a test client on the app: (await client.get('/')).status
  dovetail   everything dovetailjs exports (tokens, createError, …)

await works at the prompt. .exit or Ctrl-D closes the app and leaves.

Options:
${configUsage}
  -h, --help             show this help`

/**
 * `dovetail shell`: the app booted, in a REPL (the role of Pyramid's
 * `pshell`). Nothing listens on a port: the test client sends requests
 * through `app.fetch`.
 *
 * @example
 * await shellCommand(['--config', 'app.ts'], processIo())
 */
export async function shellCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('shell', args, { ...configOptions, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.out(shellUsage)
    return exitCodes.ok
  }
  if (positionals.length) throw new UsageError(`dovetail shell takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  const opened = await openConfig(values, io)
  const app = await bootApp(opened, io)
  if (!app) return exitCodes.failed
  const scope: Record<string, unknown> = {
    app,
    container: app.container,
    resolve: <T>(token: dovetail.Token<T>) => app.resolve(token),
    client: createTestClient(app),
    dovetail,
  }
  const names = ['app', 'container', 'resolve', ...(app.container.lifetimeOf(Orm) === undefined ? [] : ['em']), 'client', 'dovetail']
  // One unit of work for the session, made when first used: a shell that never touches the database opens none.
  let em: unknown
  if (names.includes('em')) Object.defineProperty(scope, 'em', { enumerable: true, get: () => (em ??= app.resolve(Orm).fork()) })

  io.out(`${opened.shown}: the app is started (environment ${app.environment}). At hand: ${names.join(', ')}. .exit or Ctrl-D to close it.`)
  const repl = start({ prompt: 'dovetail> ', useGlobal: false })
  for (const name of names) Object.defineProperty(repl.context, name, Object.getOwnPropertyDescriptor(scope, name)!)
  await once(repl, 'exit')
  await app.close()
  return exitCodes.ok
}
