import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { z } from 'zod'

// template/nunjucks builds its options from the engine-independent pieces here
// (viewsEngineShape and its parts), so this file must not import the eta package.

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

// Names the compiled template function declares itself, plus words JavaScript reserves.
const reserved = new Set([
  'it', 'options', 'include', 'includeAsync', 'layout', 'output', 'capture', 'captureAsync', 'block', 'blockAsync', '__eta',
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof',
  'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super', 'switch', 'this',
  'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
])

/** Why `name` cannot be a bare name in an eta template, or undefined if it can. */
export function badGlobalName(name: string): string | undefined {
  if (!identifier.test(name)) return `'${name}' is not a JavaScript identifier, so templates could not name it`
  if (reserved.has(name)) return `'${name}' is reserved in eta templates (a JavaScript keyword or a name eta declares itself)`
  return undefined
}

/**
 * A record whose keys become bare names in templates: `badName` says why a key
 * cannot be one (each engine has its own rules), `values` checks each value.
 */
export const namesRecord = <T extends z.ZodType>(badName: (name: string) => string | undefined, values: T) =>
  z.record(z.string(), values).superRefine((record, ctx) => {
    for (const key of Object.keys(record)) {
      const why = badName(key)
      if (why) ctx.addIssue({ code: 'custom', path: [key], message: why })
    }
  })

export const functionValue = z.custom<(...args: any[]) => unknown>((value) => typeof value === 'function', 'expected a function')

/** `extension`: a dot and a name, added to template names that have none; `fallback` is the engine's own. */
export const extensionOption = (fallback: string) =>
  z.string().regex(/^\.[\w.-]+$/, `extension must start with a dot, like '${fallback}'`).default(fallback)

/**
 * The options every views-based template component takes (views, cache,
 * extension, helpers, filters, globals), with the engine's default extension
 * and its rule for names.
 *
 * @example
 * z.strictObject({ ...viewsEngineShape('.njk', badGlobalName), trimBlocks: z.boolean().default(false) })
 */
export const viewsEngineShape = (extension: string, badName: (name: string) => string | undefined) => ({
  views: viewsOption,
  cache: z.boolean().optional(),
  extension: extensionOption(extension),
  helpers: namesRecord(badName, functionValue).default({}),
  filters: namesRecord(badName, functionValue).default({}),
  globals: namesRecord(badName, z.unknown()).default({}),
})

/** What `eta(options)` accepts. */
export interface EtaOptions {
  /** The views directory, or several searched in order (the first holding a template wins). Required. */
  views: string | string[]
  /** Keep compiled templates in memory. Default: on, except in development, where a changed file is re-read on the next render. */
  cache?: boolean
  /** The file extension added to names that have none. Default `.eta`. */
  extension?: string
  /** Functions templates call by bare name: `<%= money(it.price) %>`. */
  helpers?: Record<string, (...args: any[]) => unknown>
  /** Eta has no filter syntax: filters are bare functions like helpers (`<%= upper(it.name) %>`), so one option set works for both engines. */
  filters?: Record<string, (...args: any[]) => unknown>
  /** Values templates read by bare name in every render: `<%= siteName %>`. */
  globals?: Record<string, unknown>
}

/**
 * The schema `eta(options)` is validated against at startup: views resolved to absolute
 * paths that must exist, names checked, defaults filled in.
 *
 * @example
 * etaOptions.parse({ views: './views' }) // { views: ['/app/views'], extension: '.eta', helpers: {}, … }
 */
export const etaOptions = z.strictObject(viewsEngineShape('.eta', badGlobalName)) satisfies z.ZodType<unknown, EtaOptions>

export type EtaResolvedOptions = z.output<typeof etaOptions>
