import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchangeCases } from './server-cases.js'
import { heldCases } from './server-cases-held.js'
import { type KitTarget, type ServerConformanceStart, startTarget } from './server-target.js'

export type { ServerConformanceContext, ServerConformanceStart } from './server-target.js'

const cases = { ...exchangeCases, ...heldCases } as Record<ServerCase, { title: string; fresh?: boolean; run(target: KitTarget): Promise<void> }>

/** The name of each case of the server kit, as `skip` takes it. */
export type ServerCase = keyof typeof exchangeCases | keyof typeof heldCases

/**
 * Every case of the server kit, in the order it runs them: the names `skip` takes.
 *
 * @example
 * import { serverCases } from 'dovetailjs/testing/conformance'
 * serverCases.includes('graceful-close') // true
 */
export const serverCases = Object.keys(cases) as readonly ServerCase[]

export interface ServerConformanceOptions {
  /** Shown in the test names, e.g. `'server/fastcgi behind nginx'`. */
  name: string
  /**
   * Put the handler behind the adapter under test, and whatever must stand
   * in front of it (a web server for FastCGI, SCGI or CGI), then resolve
   * with the URL clients use and a `close()` that closes the adapter
   * gracefully (stop accepting, finish requests in flight, resolve) and then
   * whatever else it started. Called once for the cases that share a server,
   * and again for each case that closes its own (`graceful-close`).
   */
  start: ServerConformanceStart
  /**
   * Cases the adapter cannot offer, each with the reason, which is printed
   * and shown in the skipped test's name: never dropped silently. A name
   * that is not a case, or an empty reason, is refused.
   * @example { 'graceful-close': 'each request is a process the web server starts; there is no server process to close' }
   */
  skip?: Partial<Record<ServerCase, string>>
  /** Each case's timeout in ms, for adapters that start a process per request. @default vitest's testTimeout */
  timeout?: number
}

/**
 * The server slot's contract as a test suite, with real HTTP: the kit starts
 * your adapter (through `start`) in front of an app of its own, wrapped in
 * `validateApp`, with the adapter wrapped in `validateServer`, and sends
 * requests to the URL you return. It checks the request URL, the client
 * address, plain and UTF-8 bodies, 10 MiB both ways, headers both ways,
 * several Set-Cookie lines, redirects, HEAD, status codes with the app's 404
 * and 405, a throwing handler, a mounted sub-app, a streamed response, a
 * client abort reaching `request.signal`, and a graceful close with a
 * request in flight; and, after each case, that neither side broke the
 * gateway contract.
 *
 * It needs vitest and dovetailjs only: a web server in front of the adapter,
 * if it needs one, is started by your `start`. Cases share one started
 * server and pass alone and in any order; `graceful-close` starts its own.
 *
 * @example
 * // my-server.test.ts
 * import { runServerConformance } from 'dovetailjs/testing/conformance'
 * import { MyServer } from '../src/my-server.js'
 *
 * runServerConformance({
 *   name: 'acme/my-server',
 *   start: (handler) => new MyServer({}).listen(handler, { port: 0, host: '127.0.0.1' }),
 * })
 */
export function runServerConformance(options: ServerConformanceOptions): void {
  const skip = checkedSkips(options.skip ?? {})
  const timeout = options.timeout

  describe(`server conformance: ${options.name}`, () => {
    let shared: KitTarget | undefined

    beforeAll(async () => {
      shared = await startTarget(options.start)
    }, timeout)
    afterAll(async () => {
      const target = shared
      shared = undefined
      await target?.dispose()
      // Breaches found by the close (requests it left unfinished) come last.
      if (target) expect(target.breaches(), 'gateway contract breaches found when the shared server closed').toEqual([])
    }, timeout)

    for (const name of serverCases) {
      const { title, fresh, run } = cases[name]
      const reason = skip[name]
      if (reason !== undefined) {
        process.stderr.write(`server conformance: ${options.name}: skipping '${name}': ${reason}\n`)
        it.skip(`${title} [${name}: skipped: ${reason}]`, () => {})
        continue
      }
      it(
        `${title} [${name}]`,
        async () => {
          const target = fresh ? await startTarget(options.start) : shared!
          const before = target.breaches().length
          try {
            await run(target)
          } finally {
            if (fresh) await target.dispose()
          }
          expect(target.breaches().slice(before), 'gateway contract breaches (validateApp, validateServer)').toEqual([])
        },
        timeout,
      )
    }
  })
}

function checkedSkips(skip: Partial<Record<string, string>>): Partial<Record<ServerCase, string>> {
  for (const [name, reason] of Object.entries(skip)) {
    if (!serverCases.includes(name as ServerCase)) {
      throw new TypeError(`runServerConformance: skip names '${name}', which is not a case. The cases: ${serverCases.join(', ')}.`)
    }
    if (typeof reason !== 'string' || !reason.trim()) throw new TypeError(`runServerConformance: skip '${name}' needs a reason (a sentence saying why the adapter cannot offer it).`)
  }
  return skip as Partial<Record<ServerCase, string>>
}
