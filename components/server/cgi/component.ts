import { z } from 'zod'
import { defineComponent, type FetchHandler, type ListeningServer, Logger, Server } from '../../../core/index.js'
import cluster from 'node:cluster'
import { ServerCgiEnvironment, ServerCgiWorkers } from './errors.js'
import { cgiMappingShape } from '../../../core/server-kit/index.js'
import { type ServeCgiOptions, startCgi } from './serve-cgi.js'

/**
 * The options of the `server/cgi` component, with their defaults.
 *
 * @example
 * cgiServerOptions.parse({}) // { maxBodySize: 16777216, stripScriptName: false }
 */
export const cgiServerOptions = z.strictObject({ ...cgiMappingShape })

export type CgiServerOptions = z.output<typeof cgiServerOptions>

/**
 * The server slot under CGI: `listen()` does not open a port; it takes the one
 * request the web server started this process for (environment and stdin) and
 * answers it on stdout. Its `close()`, called by `app.close()`, waits until
 * the response is written. Port and host arguments are ignored.
 *
 * @example
 * const app = await createApp(withComponents(config, { server: cgi() }))
 * await app.listen()   // reads the request, starts answering
 * await app.close()    // the response is written; the process can exit
 */
export class CgiServer implements Server {
  readonly #options: ServeCgiOptions
  #served = false

  /** `io` replaces the process's environment, stdin and stdout (for tests). */
  constructor(options: CgiServerOptions, logger?: Logger, io: Pick<ServeCgiOptions, 'env' | 'stdin' | 'stdout'> = {}) {
    this.#options = { ...options, ...io, ...(logger ? { logger } : {}) }
  }

  async listen(handler: FetchHandler): Promise<ListeningServer> {
    if (cluster.isWorker) {
      throw ServerCgiWorkers(
        'server/cgi cannot run in worker processes (server.workers, --workers or runWorkers): the web server starts one process per request, so there is no port to share. Leave workers out; to serve from several processes, use server/fastcgi or server/scgi.',
      )
    }
    if (this.#served) {
      throw ServerCgiEnvironment(
        'server/cgi: listen() was called twice; a CGI process answers exactly one request. Call app.listen() once per process.',
      )
    }
    this.#served = true
    const { request, params, done } = startCgi(handler, this.#options)
    const variable = (name: string) => params.find(([n]) => n === name)?.[1]
    return {
      port: Number(variable('SERVER_PORT')) || 0,
      host: variable('SERVER_NAME') ?? '',
      url: request ? new URL(request.url).origin : '',
      close: () => done,
    }
  }
}

/**
 * The server slot for CGI: one process per request, started by the web server
 * (lighttpd mod_cgi, Apache mod_cgi). `app.listen()` answers that request;
 * `app.close()` waits until it is written.
 *
 * @example
 * import cgi from 'dovetailjs/components/server/cgi'
 * const app = await createApp(withComponents(config, { server: cgi() }))
 * await app.listen()
 * await app.close()
 */
export const cgi = defineComponent({
  name: 'server/cgi',
  slot: 'server',
  contract: '^1.0',
  options: cgiServerOptions,
  register(c, options) {
    c.singleton(Server, (resolve) => new CgiServer(options, resolve(Logger)))
  },
})
