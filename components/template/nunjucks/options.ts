import { z } from 'zod'
import { viewsEngineShape } from '../../../core/template-kit/index.js'

const identifier = /^[A-Za-z_$][\w$]*$/

/** Why `name` cannot be a bare name in a template, or undefined if it can. */
export function badGlobalName(name: string): string | undefined {
  if (!identifier.test(name)) return `'${name}' is not an identifier, so templates could not name it`
  return undefined
}

/** What `nunjucks(options)` accepts. */
export interface NunjucksOptions {
  /** The views directory, or several searched in order (the first holding a template wins). @default './views' (from the working directory) */
  views?: string | string[]
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
  ...viewsEngineShape('.njk', badGlobalName),
  trimBlocks: z.boolean().default(false),
  lstripBlocks: z.boolean().default(false),
}) satisfies z.ZodType<unknown, NunjucksOptions>

export type NunjucksResolvedOptions = z.output<typeof nunjucksOptions>
