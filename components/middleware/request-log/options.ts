import { z } from 'zod'

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name, e.g. x-request-id')
  .transform((name) => name.toLowerCase())

export const requestLogOptions = z.strictObject({
  /**
   * A request header whose id to reuse (set by your proxy or load balancer).
   * Off by default: a client could otherwise put any id in your logs.
   */
  trustHeader: z.union([z.literal(false), headerName]).default(false),
  /** The response header carrying the id back, or false for none. */
  responseHeader: z.union([z.literal(false), headerName]).default('x-request-id'),
  /** The level of the per-request line. */
  level: z.enum(['debug', 'info', 'warn']).default('info'),
})
  // Every option has a default, so the factory may be called with none.
  .prefault({})

/** request-log's options, as given (every field optional). */
export type RequestLogOptions = NonNullable<z.input<typeof requestLogOptions>>
