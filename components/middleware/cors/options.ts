import { z } from 'zod'

/** Decides whether a (serialized) origin may read responses; may be async (a database lookup). */
export type OriginCheck = (origin: string, request: Request) => boolean | Promise<boolean>

const token = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/

/** An origin as browsers send it: `scheme://host[:port]`, lower case, no path, no trailing slash. */
const serializedOrigin = z.string().superRefine((value, ctx) => {
  let normalized: string | undefined
  try {
    const url = new URL(value)
    normalized = url.origin === 'null' ? undefined : url.origin
  } catch {
    normalized = undefined
  }
  if (normalized !== value) {
    ctx.addIssue({
      code: 'custom',
      message: normalized
        ? `'${value}' is not an origin as browsers send it; write '${normalized}' (scheme, host and port only, no path or trailing slash)`
        : `'${value}' is not an origin; write it as 'https://app.example.com'`,
    })
  }
})

export const corsOptions = z
  .strictObject({
    /** '*' (any origin, without credentials), one origin, a list, or a function. Default: none (no cross-origin access). */
    origin: z
      .union([
        z.literal('*'),
        serializedOrigin,
        z.array(serializedOrigin),
        z.custom<OriginCheck>((v) => typeof v === 'function'),
      ], { error: "origin must be '*', an origin ('https://app.example.com'), a list of origins, or a function (origin, request) => boolean" })
      .default([]),
    methods: z.array(z.string().regex(token, 'must be an HTTP method name').transform((m) => m.toUpperCase())).default(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']),
    /** Request headers a cross-origin script may send (beyond the CORS-safelisted ones). */
    allowedHeaders: z.array(z.string().regex(token, 'must be an HTTP header name').transform((h) => h.toLowerCase())).default(['content-type', 'authorization']),
    /** Response headers a cross-origin script may read (beyond the CORS-safelisted ones). */
    exposedHeaders: z.array(z.string().regex(token, 'must be an HTTP header name').transform((h) => h.toLowerCase())).default([]),
    /** Let cross-origin scripts send cookies and read the responses (`fetch(url, { credentials: 'include' })`). */
    credentials: z.boolean().default(false),
    /** Seconds a browser may cache a preflight answer; false for no header (the browser's default, 5 s). */
    maxAge: z.union([z.literal(false), z.number().int().nonnegative()]).default(600),
  })
  .refine((o) => !(o.origin === '*' && o.credentials), {
    path: ['origin'],
    message:
      "'*' cannot be combined with credentials: true; browsers refuse such responses (Fetch standard, CORS check). List the origins that may send credentials instead, e.g. origin: ['https://app.example.com'].",
  })
  // Every option has a default, so the factory may be called with none.
  .prefault({})

/** cors' options, as given (every field optional). */
export type CorsOptions = NonNullable<z.input<typeof corsOptions>>
