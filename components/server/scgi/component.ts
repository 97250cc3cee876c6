import { defineComponent, Logger, Server } from '../../../core/index.js'
import { socketServerOptions } from '../../../core/server-kit/index.js'
import { ScgiServer } from './scgi-server.js'

/**
 * The options of the `server/scgi` component, with their defaults.
 *
 * @example
 * scgiServerOptions.parse({}).maxBodySize // 16777216
 */
export const scgiServerOptions = socketServerOptions

/**
 * The server slot as an SCGI server, for a web server in front (nginx
 * `scgi_pass`, Apache mod_proxy_scgi, lighttpd mod_scgi).
 *
 * @example
 * import scgi from 'dovetailjs/components/server/scgi'
 * defineConfig({ components: { server: scgi() } })
 * // then: await app.listen({ port: 4000 })  (or scgi({ socketPath: '/run/app.sock' }))
 */
export const scgi = defineComponent({
  name: 'server/scgi',
  slot: 'server',
  contract: '^1.0',
  options: scgiServerOptions,
  register(c, options) {
    c.singleton(Server, (resolve) => new ScgiServer(options, resolve(Logger)))
  },
})
