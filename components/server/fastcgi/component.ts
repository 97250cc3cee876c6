import { defineComponent, Logger, Server } from '../../../core/index.js'
import { socketServerOptions } from '../../../core/server-kit/index.js'
import { FastCgiServer } from './fastcgi-server.js'

/**
 * The options of the `server/fastcgi` component, with their defaults.
 *
 * @example
 * fastcgiServerOptions.parse({ socketPath: '/run/app.sock' }).maxHeaderSize // 32768
 */
export const fastcgiServerOptions = socketServerOptions

/**
 * The server slot as a FastCGI responder, for a web server in front (nginx
 * `fastcgi_pass`, Apache mod_proxy_fcgi, lighttpd mod_fastcgi).
 *
 * @example
 * import fastcgi from 'dovetailjs/components/server/fastcgi'
 * defineConfig({ components: { server: fastcgi() } })
 * // then: await app.listen({ port: 9000 })  (or fastcgi({ socketPath: '/run/app.sock' }))
 */
export const fastcgi = defineComponent({
  name: 'server/fastcgi',
  slot: 'server',
  contract: '^1.0',
  options: fastcgiServerOptions,
  register(c, options) {
    c.singleton(Server, (resolve) => new FastCgiServer(options, resolve(Logger)))
  },
})
