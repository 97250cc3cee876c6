import { z } from 'zod'
import { functionValue, namesRecord, viewsEngineShape, viewsOption } from 'dovetailjs/template-kit'

/** What `handlebars(options)` accepts. Every field is optional, so config can name the component alone: `template: 'handlebars'`. */
export interface HandlebarsOptions {
  /** The views directory, or several searched in order (the first holding a template wins). Default `'views'`, from the working directory. */
  views?: string | string[]
  /** Keep read and compiled templates in memory. Default: on, except in development, where a changed file shows on the next render. */
  cache?: boolean
  /** The file extension added to names that have none. Default `.hbs`. */
  extension?: string
  /** Plain functions templates call by name: `{{money price}}`; a hash (`{{url "page" slug=slug}}`) arrives as a last object argument. */
  helpers?: Record<string, (...args: any[]) => unknown>
  /** Handlebars has no filter syntax: filters are plain functions like helpers (`{{kebab name}}`), so one option set serves every engine. */
  filters?: Record<string, (...args: any[]) => unknown>
  /** Values templates print by name in every render: `{{siteName}}`; as another helper's argument, `(siteName)`. */
  globals?: Record<string, unknown>
  /** Helpers in Handlebars' own calling convention (a last `options` with `fn`, `inverse`, `hash`), for block helpers: `{{#ifEqual a b}}…{{/ifEqual}}`. */
  handlebarsHelpers?: Record<string, (...args: any[]) => unknown>
}

const identifier = /^[A-Za-z_$][\w$]*$/

// Handlebars' own helpers (a name here would replace one) and words its syntax reserves.
const reserved = new Set(['each', 'if', 'unless', 'with', 'lookup', 'log', 'helperMissing', 'blockHelperMissing', 'this', 'else', 'true', 'false', 'null', 'undefined'])

/**
 * Why `name` cannot be a helper or global in a Handlebars template, or
 * undefined if it can. The template contract asks for JavaScript identifiers.
 *
 * @example
 * badName('each') // "'each' is one of Handlebars' own helpers or words"
 */
export function badName(name: string): string | undefined {
  if (!identifier.test(name)) return `'${name}' is not a JavaScript identifier, so templates could not name it`
  if (reserved.has(name)) return `'${name}' is one of Handlebars' own helpers or words`
  return undefined
}

/**
 * The schema `handlebars(options)` is validated against at startup: views
 * resolved to absolute paths that must exist, names checked, defaults filled in.
 *
 * @example
 * handlebarsOptions.parse({ views: './views' }) // { views: ['/app/views'], extension: '.hbs', helpers: {}, … }
 */
export const handlebarsOptions = z.strictObject({
  // The options every views-based engine takes, validated and worded as the built-in engines do.
  ...viewsEngineShape('.hbs', badName),
  // Optional here, so config can name the component alone; parsed like any given value.
  views: viewsOption.prefault('views'),
  handlebarsHelpers: namesRecord(badName, functionValue).default({}),
}) satisfies z.ZodType<unknown, HandlebarsOptions>

export type HandlebarsResolvedOptions = z.output<typeof handlebarsOptions>
