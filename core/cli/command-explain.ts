import { Context } from '../context/context.js'
import type { RouteInfo, RouteMatch } from '../slots/router.js'
import { withAssembledConfig } from './assembled-config.js'
import { routeList } from './command-routes.js'
import type { CliIo } from './io.js'
import { configOptions, configUsage } from './open-config.js'
import { parseOptions } from './parse-options.js'
import { chainLabel, handlerLabel, scopedMiddleware, methodsLabel, pathLabel, sourceJson, sourceLabel, validatedParts } from './route-labels.js'
import { exitCodes, UsageError } from './usage-error.js'

export const explainUsage = `Usage: dovetail explain <method> <url> [--config <module>] [--env <name>] [--json]

Say what the app would do with a request, without sending it: the route that
matches (its pattern, name, parameters, handler and the line that defined
it), the middleware it runs through first, and otherwise the mount it goes
to, or the 405 (with the Allow header) or 404 the router answers. <url> is a
path (/notes/3?page=2) or a full URL. Nothing is started and no handler runs;
middleware that answers before the router (a static file, a CORS preflight)
is listed, not run.

Options:
${configUsage}
      --json             print the explanation as one JSON document
  -h, --help             show this help`

/**
 * `dovetail explain <method> <url>`: the router's answer for one request,
 * the role of Pyramid's `pviews`. The path is the one the app routes on
 * (`Context.path` of the request), matched by the app's own router.
 *
 * @example
 * await explainCommand(['GET', '/notes/3'], processIo())
 * // GET /notes/3 matches GET /notes/:id
 */
export async function explainCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions('explain', args, { ...configOptions, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } })
  if (values.help) {
    io.out(explainUsage)
    return exitCodes.ok
  }
  if (positionals.length !== 2) {
    throw new UsageError(`dovetail explain takes a method and a URL, e.g. dovetail explain GET /notes/3; got ${positionals.length ? positionals.join(' ') : 'nothing'}.`)
  }
  const method = positionals[0]!.toUpperCase()
  // An HTTP method is a token (RFC 9110): letters for every method in use.
  if (!/^[A-Z]+$/.test(method)) throw new UsageError(`'${positionals[0]}' is not an HTTP method. Give one such as GET or POST, then the URL.`)
  const target = positionals[1]!
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target)) throw new UsageError(`'${target}' is not a path or an http(s) URL. Give a path such as /notes/3, or a full URL.`)

  return withAssembledConfig(values, io, ({ assembled, root }) => {
    const list = routeList(assembled.router, assembled.components.find((r) => r.slot === 'router')?.component.definition.name)
    // The path the app routes on: the context's, as the app's dispatch reads it. (The Request is only
    // for the path: fetch refuses to build one with CONNECT or TRACE, which the router still answers.)
    const path = new Context(new Request(new URL(target, 'http://localhost')), assembled.app).path
    const match = assembled.router.match(method, path)
    const route = match.kind === 'route' ? (match.route ?? findRoute(list, match)) : match.kind === 'mount' ? list.find((r) => r.kind === 'mount' && r.path === match.prefix) : undefined
    const asked = `${method} ${path}`
    const before = assembled.chain.length ? `${chainLabel(assembled.chain)} → ` : ''

    if (values.json) {
      io.out(JSON.stringify(explanation(match, method, path, route, assembled.chain.map((step) => step.name), root), null, 2))
      return exitCodes.ok
    }
    const rows: string[][] = []
    switch (match.kind) {
      case 'route': {
        const viaGet = method === 'HEAD' && route?.kind === 'route' && !route.methods.includes('HEAD')
        io.out(viaGet ? `${asked} is answered by the GET route ${route.path}, without the body.` : `${asked} matches the route ${route ? `${methodsLabel(route)} ${pathLabel(route)}` : '(the router does not say which)'}.`)
        if (route?.kind === 'route') rows.push(['name', route.name ?? '-'])
        const params = Object.entries(match.params)
        rows.push(['params', params.length ? params.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join('  ') : '-'])
        rows.push(['handler', route ? handlerLabel(route) : match.handler.name || '(anonymous)'])
        rows.push(['defined at', sourceLabel(route?.source, root)])
        // The route's schemas run after its middleware, just before the handler (docs/validation.md).
        const parts = validatedParts(route)
        const validation = parts.length ? `validation (${parts.join(', ')}) → ` : ''
        rows.push(['runs', `${before}${scopedMiddleware(route).map((name) => `${name} → `).join('')}${validation}handler`])
        break
      }
      case 'mount': {
        const rest = path.slice(match.prefix.length) || '/'
        io.out(`${asked} goes to the app mounted at ${match.prefix}, which sees ${method} ${rest.startsWith('/') ? rest : `/${rest}`}.`)
        rows.push(['mount', `${match.prefix}/*`])
        if (route) rows.push(['handler', handlerLabel(route)], ['defined at', sourceLabel(route.source, root)])
        rows.push(['runs', `${before}the mounted app`])
        break
      }
      case 'method-not-allowed':
        io.out(`${asked} is answered 405 Method Not Allowed: the path has routes for other methods.`)
        rows.push(['allow', match.allowed.join(', ')])
        rows.push(['runs', `${before}405 with Allow: ${match.allowed.join(', ')}`])
        break
      default:
        io.out(`${asked} is answered 404 Not Found: no route or mount matches the path.`)
        rows.push(['runs', `${before}404`])
    }
    io.out('')
    const width = Math.max(...rows.map(([key]) => key!.length)) + 2
    for (const [key, value] of rows) io.out(`${key!.padEnd(width)}${value}`)
    if (assembled.chain.length) {
      io.out('')
      io.out('Middleware runs first and may answer by itself (a static file, a CORS preflight, a redirect to log in).')
    }
    return exitCodes.ok
  })
}

/** For a router that gives no `route` in its match: the route whose handler it is, if only one has it. */
function findRoute(list: readonly RouteInfo[], match: Extract<RouteMatch, { kind: 'route' }>): RouteInfo | undefined {
  const candidates = list.filter((r) => r.kind === 'route' && r.handler === match.handler)
  return candidates.length === 1 ? candidates[0] : undefined
}

function explanation(match: RouteMatch, method: string, path: string, route: RouteInfo | undefined, middleware: string[], root: string) {
  // A route's own middleware (its groups' and its use) runs after the app's.
  const base = { method, path, middleware: [...middleware, ...(match.kind === 'route' ? scopedMiddleware(route) : [])] }
  switch (match.kind) {
    case 'route':
      return {
        ...base,
        outcome: 'route',
        route: route
          ? {
              methods: route.kind === 'route' ? route.methods : ['*'],
              path: route.path,
              name: route.kind === 'route' ? (route.name ?? null) : null,
              handler: handlerLabel(route),
              source: sourceJson(route.source, root),
              ...(validatedParts(route).length ? { validates: validatedParts(route) } : {}),
            }
          : null,
        params: match.params,
      }
    case 'mount':
      return { ...base, outcome: 'mount', mount: { prefix: match.prefix, handler: route ? handlerLabel(route) : null, source: sourceJson(route?.source, root) }, mountedPath: path.slice(match.prefix.length) || '/' }
    case 'method-not-allowed':
      return { ...base, outcome: 'method-not-allowed', status: 405, allow: match.allowed }
    default:
      return { ...base, outcome: 'not-found', status: 404 }
  }
}
