import { z } from 'zod'
import { defineComponent, Logger, Server } from '../../../core/index.js'
import { socketServerOptions } from '../../../core/server-kit/index.js'
import { FastCgiServer } from './fastcgi-server.js'

/**
 * The options of the `server/fastcgi` component, with their defaults: those
 * of every socket adapter, and how many requests one connection may
 * multiplex.
 *
 * @example
 * fastcgiServerOptions.parse({ socketPath: '/run/app.sock' }).maxHeaderSize // 32768
 * fastcgiServerOptions.parse({}).maxRequestsInFlight                         // 100
 */
export const fastcgiServerOptions = socketServerOptions.extend({
  /**
   * Requests one connection may have in flight at once (FCGI_MAX_REQS); a
   * BEGIN_REQUEST over it is refused with FCGI_OVERLOADED. Bounds what one
   * connection holds (each request's PARAMS up to maxHeaderSize). nginx and
   * Apache send one request at a time per connection. @default 100
   */
  maxRequestsInFlight: z.number().int().min(1).max(65535).default(100),
})

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
