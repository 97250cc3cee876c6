import type { RouteInfo, Router } from '../slots/router.js'
import type { CliIo } from './io.js'
import { withAssembledConfig } from './assembled-config.js'
import { configOptions, configUsage } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { chainLabel, handlerLabel, scopedMiddleware, methodsLabel, pathLabel, sourceJson, sourceLabel } from './route-labels.js'
import { table } from './table.js'
import { exitCodes, UsageError } from './usage-error.js'

export const routesUsage = `Usage: dovetail routes [--config <module>] [--env <name>] [--json]

List the routes and mounts of a config's app, in the order they were
defined: method, path, name, handler and the line that defined it; then the
middleware every request runs through, outermost first, and the middleware
of routes that have their own (a group's or a route's use). The app is built as
createApp builds it (its routes(r) run), but nothing is started.

Options:
${configUsage}
      --json             print the routes as one JSON document
  -h, --help             show this help`

/**
 * `dovetail routes`: the route table, from the router's `routes()` (router
 * contract 1.1), with the middleware chain every route runs.
 *
 * @example
 * await routesCommand(['--config', 'app.ts'], processIo())
 * // GET     /notes/:id  note   (anonymous)  app.ts:31
 */
export async function routesCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('routes', args, { ...configOptions, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.out(routesUsage)
    return exitCodes.ok
  }
  if (positionals.length) throw new UsageError(`dovetail routes takes no arguments, got: ${positionals.join(' ')}. Name the config module with --config.`)
  return withAssembledConfig(values, io, ({ assembled, root }) => {
    const list = routeList(assembled.router, assembled.components.find((r) => r.slot === 'router')?.component.definition.name)
    const { chain } = assembled
    if (values.json) {
      const middleware = chain.map((step) => step.name)
      io.out(
        JSON.stringify(
          {
            routes: list.map((info) => ({
              kind: info.kind,
              methods: info.kind === 'mount' ? ['*'] : info.methods,
              path: info.path,
              name: info.kind === 'route' ? (info.name ?? null) : null,
              handler: handlerLabel(info),
              source: sourceJson(info.source, root),
              middleware: [...middleware, ...scopedMiddleware(info)],
            })),
            middleware: chain,
          },
          null,
          2,
        ),
      )
      return exitCodes.ok
    }
    if (list.length === 0) io.out('No routes: the config defines none (routes(r) in the config).')
    else {
      table(
        io,
        ['method', 'path', 'name', 'handler', 'defined at'],
        list.map((info) => [methodsLabel(info), pathLabel(info), (info.kind === 'route' && info.name) || '-', handlerLabel(info), sourceLabel(info.source, root)]),
      )
    }
    io.out('')
    io.out(chain.length ? `Every request runs this middleware first, outermost first: ${chainLabel(chain)}.` : 'No middleware: the router answers every request directly.')
    const scoped = list.filter((info) => scopedMiddleware(info).length)
    if (scoped.length) {
      io.out("Routes with their own middleware (a group's or the route's use) run it next, before the handler:")
      for (const info of scoped) io.out(`  ${methodsLabel(info)} ${pathLabel(info)}: ${scopedMiddleware(info).join(' → ')}`)
    }
    if (list.some((info) => info.kind === 'route' && info.methods.includes('GET') && !info.methods.includes('HEAD'))) io.out('A GET route also answers HEAD, without the body.')
    return exitCodes.ok
  })
}

/** The router's routes, or a failure saying the router cannot list them. */
export function routeList(router: Router, name = 'the router'): readonly RouteInfo[] {
  if (typeof router.routes !== 'function') {
    throw new Error(`The router component '${name}' cannot list its routes: its Router has no routes() (router contract 1.1). Use one that has, such as the built-in radix.`)
  }
  return router.routes()
}
