import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

const isDirectory = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false

/**
 * `views`: one directory or a list, searched in order. Relative paths are
 * resolved against the working directory at startup, and each must exist, so
 * a typo fails the boot instead of the first request.
 *
 * @example
 * viewsOption.parse('./views') // ['/app/views'], or an issue naming the missing directory
 */
export const viewsOption = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1, 'views must list at least one directory')], {
    error: 'views must be a directory path or a non-empty list of them',
  })
  .transform((views) => (Array.isArray(views) ? views : [views]).map((dir) => resolve(dir)))
  .superRefine((dirs, ctx) => {
    for (const dir of dirs) {
      if (!isDirectory(dir)) ctx.addIssue({ code: 'custom', message: `'${dir}' is not a directory (relative paths start at ${process.cwd()})` })
    }
  })

/**
 * A record whose keys become bare names in templates: `badName` says why a key
 * cannot be one (each engine has its own rules), `values` checks each value.
 * A bad key is an issue at that key, so the boot error names `helpers.my-helper`.
 *
 * @example
 * const helpers = namesRecord((name) => (/^\w+$/.test(name) ? undefined : `'${name}' is not a name`), functionValue)
 */
export const namesRecord = <T extends z.ZodType>(badName: (name: string) => string | undefined, values: T) =>
  z.record(z.string(), values).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const why = badName(key)
      if (why) ctx.addIssue({ code: 'custom', path: [key], message: why })
    }
  })

/**
 * A value that must be a function (a helper, a filter).
 *
 * @example
 * functionValue.parse((n: number) => n * 2) // the function; a string fails with 'expected a function'
 */
export const functionValue = z.custom<(...args: any[]) => unknown>((value) => typeof value === 'function', 'expected a function')

/**
 * `extension`: a dot and a name, added to template names that have none;
 * `fallback` is the engine's own.
 *
 * @example
 * extensionOption('.hbs').parse(undefined) // '.hbs'
 */
export const extensionOption = (fallback: string) =>
  z.string().regex(/^\.[\w.-]+$/, `extension must start with a dot, like '${fallback}'`).default(fallback)

/**
 * The options every views-based template component takes (views, default
 * `./views`; cache, extension, helpers, filters, globals), with the engine's default extension
 * and its rule for names. Spread it into the engine's own schema, so every
 * engine validates these options alike and one option set fits them all.
 *
 * @example
 * z.strictObject({ ...viewsEngineShape('.njk', badGlobalName), trimBlocks: z.boolean().default(false) })
 */
export const viewsEngineShape = (extension: string, badName: (name: string) => string | undefined) => ({
  // './views' unless given, the convention every preset and scaffold follows, so
  // `template: 'nunjucks'` alone works in a project laid out that way.
  views: viewsOption.prefault('views'),
  cache: z.boolean().optional(),
  extension: extensionOption(extension),
  helpers: namesRecord(badName, functionValue).default({}),
  filters: namesRecord(badName, functionValue).default({}),
  globals: namesRecord(badName, z.unknown()).default({}),
})
