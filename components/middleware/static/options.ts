import { z } from 'zod'

/**
 * The static middleware's options schema (zod), with defaults.
 *
 * @example
 * staticOptions.parse({ root: 'public', prefix: '/static' }).index // 'index.html'
 */
export const staticOptions = z
  .strictObject({
    /** The folder to serve. A relative path is resolved against the working directory at startup. */
    root: z.string().min(1, 'root is the folder to serve, e.g. "public"'),
    /** The URL path the folder is served under. */
    prefix: z
      .string()
      .regex(/^\/[^?#]*$/, 'prefix is a URL path starting with "/", e.g. "/static"')
      .default('/'),
    /** The file served for a folder's URL (ending in `/`), or `false` for none. */
    index: z.union([z.string().min(1).regex(/^[^/\\]+$/, 'index is a file name, not a path'), z.literal(false)]).default('index.html'),
    /** `max-age` in seconds for the default `Cache-Control`. */
    maxAge: z.number().int().nonnegative().default(0),
    /** Add `immutable` to the default `Cache-Control`: for file names that change with their content (`app.3f2a1c.js`). */
    immutable: z.boolean().default(false),
    /** A `Cache-Control` value that replaces the one built from `maxAge` and `immutable`; `false` sends none. */
    cacheControl: z.union([z.string().min(1), z.literal(false)]).optional(),
    /** Serve `file.br` / `file.gz` in place of `file` to clients that accept brotli / gzip. */
    precompressed: z.boolean().default(true),
    /** On a miss (no such file, a dotfile, a method other than GET/HEAD) pass the request on; `false` answers 404 here. */
    fallthrough: z.boolean().default(true),
  })
  .refine((o) => !o.immutable || o.maxAge > 0 || o.cacheControl !== undefined, {
    message: 'immutable needs a maxAge (e.g. 31536000 for a year): "immutable" with max-age=0 would still revalidate on every use',
    path: ['immutable'],
  })

/** Options of the static middleware, as given in a config. */
export type StaticOptions = z.input<typeof staticOptions>
/** The same, validated and with defaults filled in. */
export type ResolvedStaticOptions = z.output<typeof staticOptions>
