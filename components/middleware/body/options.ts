import { tmpdir } from 'node:os'
import { z } from 'zod'

const KiB = 1024
const MiB = 1024 * KiB
const bytes = (what: string) => z.number({ error: `${what} is a number of bytes` }).int().positive()

export const bodyTypes = ['json', 'urlencoded', 'multipart'] as const
export type BodyType = (typeof bodyTypes)[number]

/**
 * The body middleware's options schema (zod), with defaults.
 *
 * @example
 * bodyOptions.parse({ limits: { body: 65536 } }).limits.fileSize // 10485760
 */
export const bodyOptions = z
  .strictObject({
    /** The kinds of body the app reads; any other Content-Type gets a 415 from readBody. */
    types: z.array(z.enum(bodyTypes)).min(1).default([...bodyTypes]),
    /** Parse before the handler runs (for every request with a readable body) rather than on the first readBody(). */
    eager: z.boolean().default(false),
    /** What to do with a JSON `__proto__` or `constructor.prototype` key: refuse the request (400) or drop the key. */
    protoKeys: z.enum(['reject', 'strip']).default('reject'),
    limits: z
      .strictObject({
        /** Whole JSON or urlencoded body. */
        body: bytes('limits.body').default(1 * MiB),
        /** Whole multipart body, files included. */
        multipart: bytes('limits.multipart').default(20 * MiB),
        /** Form fields (not files), urlencoded or multipart. */
        fields: z.number().int().positive().default(100),
        /** One field's value. */
        fieldSize: bytes('limits.fieldSize').default(64 * KiB),
        /** Files in one multipart body. */
        files: z.number().int().nonnegative().default(10),
        /** One file. */
        fileSize: bytes('limits.fileSize').default(10 * MiB),
      })
      .prefault({}),
    uploads: z
      .strictObject({
        /** `disk`: each file is streamed to a temp file; `memory`: kept as bytes (mind limits.multipart). */
        storage: z.enum(['disk', 'memory']).default('disk'),
        /** Where temp files go; created at startup if missing. */
        dir: z.string().min(1).default(tmpdir()),
      })
      .prefault({}),
  })
  .prefault({})

/** Options of the body middleware, as given in a config. */
export type BodyOptions = z.input<typeof bodyOptions>
/** The same, validated and with defaults filled in. */
export type ResolvedBodyOptions = z.output<typeof bodyOptions>
