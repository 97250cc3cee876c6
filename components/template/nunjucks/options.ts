import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

const isDirectory = (path: string): boolean => statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false

/**
 * `views`: one directory or a list, searched in order. Relative paths are
 * resolved against the working directory at startup, and each must exist, so
 * a typo fails the boot instead of the first request.
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

const identifier = /^[A-Za-z_$][\w$]*$/

/** Why `name` cannot be a bare name in a template, or undefined if it can. */
export function badGlobalName(name: string): string | undefined {
  if (!identifier.test(name)) return `'${name}' is not an identifier, so templates could not name it`
  return undefined
}

/** A record whose keys become bare names in templates; `values` checks each value. */
export const namesRecord = <T extends z.ZodType>(values: T) =>
  z.record(z.string(), values).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const why = badGlobalName(key)
      if (why) ctx.addIssue({ code: 'custom', path: [key], message: why })
    }
  })

export const functionValue = z.custom<(...args: any[]) => unknown>((value) => typeof value === 'function', 'expected a function')

/** What `nunjucks(options)` accepts. */
export interface NunjucksOptions {
  /** The views directory, or several searched in order (the first holding a template wins). Required. */
  views: string | string[]
  /** Keep compiled templates in memory. Default: on, except in development, where every render reads the file again. */
  cache?: boolean
  /** The file extension added to names that have none (`{% extends "layout" %}`). Default `.njk`. */
  extension?: string
  /** Functions templates call by name: `{{ money(price) }}`. */
  helpers?: Record<string, (...args: any[]) => unknown>
  /** Filters: `{{ name | kebab }}`; the value comes first, then the filter's arguments. */
  filters?: Record<string, (...args: any[]) => unknown>
  /** Values every template sees by name: `{{ siteName }}`. Data passed to a render wins over them. */
  globals?: Record<string, unknown>
  /** Strip the newline after a block tag (nunjucks' trimBlocks). Default false. */
  trimBlocks?: boolean
  /** Strip whitespace before a block tag on its line (nunjucks' lstripBlocks). Default false. */
  lstripBlocks?: boolean
}

/**
 * The schema `nunjucks(options)` is validated against at startup: views resolved to absolute
 * paths that must exist, names checked, defaults filled in.
 *
 * @example
 * nunjucksOptions.parse({ views: './views' }) // { views: ['/app/views'], extension: '.njk', helpers: {}, … }
 */
export const nunjucksOptions = z.strictObject({
  views: viewsOption,
  cache: z.boolean().optional(),
  extension: z.string().regex(/^\.[\w.-]+$/, "extension must start with a dot, like '.njk'").default('.njk'),
  helpers: namesRecord(functionValue).default({}),
  filters: namesRecord(functionValue).default({}),
  globals: namesRecord(z.unknown()).default({}),
  trimBlocks: z.boolean().default(false),
  lstripBlocks: z.boolean().default(false),
}) satisfies z.ZodType<unknown, NunjucksOptions>

export type NunjucksResolvedOptions = z.output<typeof nunjucksOptions>
