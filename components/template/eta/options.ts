import { z } from 'zod'
import { viewsEngineShape } from '../../../core/template-kit/index.js'

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

/** What `eta(options)` accepts. */
export interface EtaOptions {
  /** The views directory, or several searched in order (the first holding a template wins). @default './views' (from the working directory) */
  views?: string | string[]
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
