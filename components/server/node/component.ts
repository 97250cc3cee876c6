import { z } from 'zod'
import { defineComponent, Logger, Server } from '../../../core/index.js'
import { defaultShutdownIdleGrace } from '../../../core/server-kit/index.js'
import { NodeServer } from './node-server.js'

export const nodeServerOptions = z
  .strictObject({
    headersTimeout: z.number().int().positive().default(30_000),
    requestTimeout: z.number().int().positive().default(60_000),
    keepAliveTimeout: z.number().int().positive().default(5_000),
    maxHeaderSize: z.number().int().min(1024).default(16_384),
    shutdownTimeout: z.number().int().nonnegative().default(10_000),
    shutdownIdleGrace: z.number().int().nonnegative().default(defaultShutdownIdleGrace),
    trustProxy: z.boolean().default(false),
  })
  // node:http refuses this too, but only at listen(); say so at boot instead.
  .refine((o) => o.headersTimeout <= o.requestTimeout, {
    path: ['headersTimeout'],
    message: 'must not exceed requestTimeout (the headers are part of the request); lower headersTimeout or raise requestTimeout',
  })

/**
 * The server slot on node:http, with explicit timeouts and header limits.
 *
 * @example
 * import node from 'dovetailjs/components/server/node'
 * defineConfig({ components: { server: node({ keepAliveTimeout: 10_000 }) } })
 */
export const node = defineComponent({
  name: 'server/node',
  slot: 'server',
  contract: '^1.0',
  options: nodeServerOptions,
  register(c, options) {
    c.singleton(Server, (resolve) => new NodeServer(options, resolve(Logger)))
  },
})
