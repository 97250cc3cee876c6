import { z } from 'zod'
import { defaultShutdownIdleGrace } from './shutdown.js'

const MiB = 1024 * 1024

/**
 * Options every CGI-family adapter (CGI, FastCGI, SCGI) takes: how a request
 * is mapped and bounded. A zod shape, to spread into an adapter's own schema.
 *
 * @example
 * const myAdapterOptions = z.strictObject({ ...cgiMappingShape, port: z.number().int() })
 */
export const cgiMappingShape = {
  /** Largest request body in bytes; a larger CONTENT_LENGTH is answered 413 without calling the app. @default 16 MiB */
  maxBodySize: z.number().int().nonnegative().default(16 * MiB),
  /** Route on PATH_INFO: take SCRIPT_NAME off the front of the path (for an app mounted under a script's URL). @default false */
  stripScriptName: z.boolean().default(false),
}

/**
 * Options of the adapters that listen on a socket (FastCGI, SCGI): the
 * {@link cgiMappingShape} plus header limit, timeouts and the unix socket.
 * An adapter uses it as its component's `options` schema.
 *
 * @example
 * socketServerOptions.parse({ socketPath: '/run/dovetail/app.sock', socketMode: 0o660 })
 * // { maxBodySize: 16777216, stripScriptName: false, maxHeaderSize: 32768, shutdownTimeout: 10000, shutdownIdleGrace: 250, idleTimeout: 60000, socketPath: …, socketMode: 432 }
 */
export const socketServerOptions = z
  .strictObject({
    ...cgiMappingShape,
    /** Largest block of request headers plus server variables, in bytes; larger is answered 431. @default 32768 */
    maxHeaderSize: z.number().int().min(1024).default(32 * 1024),
    /** On close, how long requests in flight may run before their connections are cut, in ms. @default 10000 */
    shutdownTimeout: z.number().int().nonnegative().default(10_000),
    /**
     * On close, how long a connection that has just gone idle is kept for a request already on its
     * way (answered 503), in ms; one idle for longer ends at once. @default 250
     */
    shutdownIdleGrace: z.number().int().nonnegative().default(defaultShutdownIdleGrace),
    /** A connection with no request in flight that stays silent this long is closed, in ms. @default 60000 */
    idleTimeout: z.number().int().positive().default(60_000),
    /** Listen on this unix socket instead of app.listen()'s host and port. */
    socketPath: z.string().min(1).optional(),
    /** File mode of the unix socket (e.g. 0o660 so a web server in the same group can connect). Needs socketPath. */
    socketMode: z.number().int().min(0).max(0o777).optional(),
  })
  .refine((o) => o.socketMode === undefined || o.socketPath !== undefined, {
    path: ['socketMode'],
    message: 'applies to a unix socket only; set socketPath too, or leave socketMode out',
  })

/**
 * {@link socketServerOptions} after parsing: defaults filled in.
 *
 * @example
 * const options: SocketServerOptions = socketServerOptions.parse({})
 */
export type SocketServerOptions = z.output<typeof socketServerOptions>
