import { z } from 'zod'
import type { Context } from '../../../core/index.js'

/** A request header name (a token, RFC 9110). */
const headerName = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'a header name is letters, digits and !#$%&\'*+-.^_`|~')

export const cacheResponseOptions = z.strictObject({
  /** Milliseconds a response is kept; whole, from 1 to 30 days. */
  ttl: z.number().int().positive().max(30 * 24 * 60 * 60 * 1000),
  /** Tags stored with the response (for `clearTag`), or a function of the request, e.g. `(ctx) => ['page:' + ctx.params.slug]`. @default [] */
  tags: z.union([z.array(z.string().min(1)), z.custom<(ctx: Context) => readonly string[]>((v) => typeof v === 'function', 'tags is an array of strings or a function (ctx) => string[]')]).default([]),
  /** Request headers the response depends on: each is part of the key and added to `Vary`. @default [] */
  vary: z.array(headerName).default([]),
  /**
   * Cookies that mark a request as someone's (a session): such a request
   * bypasses the cache both ways, so a page rendered for a user is never
   * stored nor served to another. `[]` caches every request alike: only for
   * responses that never depend on who asks. `Authorization` always bypasses.
   * @default ['sid'] (the session middleware's cookie)
   */
  bypassCookies: z.array(headerName).default(['sid']),
  /** Seconds clients and shared caches may reuse a response without asking (`Cache-Control: public, max-age`); 0 makes them revalidate each time (`no-cache`), cheap with the `ETag`. @default 0 */
  maxAge: z.number().int().nonnegative().default(0),
  /** The largest body kept, in bytes; larger responses are served but not stored. @default 1048576 (1 MiB) */
  maxBodyBytes: z.number().int().positive().default(1024 * 1024),
  /** Milliseconds the cache lookup may take before the request is answered 503 (the cache is down or too slow). @default 3000 */
  timeout: z.number().int().positive().default(3_000),
  /** Seconds the 503 asks the client to wait (`Retry-After`). @default 5 */
  retryAfter: z.number().int().nonnegative().default(5),
})

/** What `cacheResponse(...)` accepts. */
export type CacheResponseOptions = z.input<typeof cacheResponseOptions>
/** The options after defaults. */
export type CacheResponseSettings = z.output<typeof cacheResponseOptions>
