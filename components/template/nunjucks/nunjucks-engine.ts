import nunjucks from 'nunjucks'
import {
  DovetailError,
  escapeHtml,
  htmlStream,
  isSafeHtml,
  type RenderOptions,
  type TemplateEngine,
  type TemplateGlobals,
} from '../../../core/index.js'
import { badGlobalName, type NunjucksResolvedOptions } from './options.js'
import { templateError } from './template-errors.js'
import { ViewsLoader } from './views-loader.js'

export type NunjucksEngineOptions = Omit<NunjucksResolvedOptions, 'cache'> & { cache: boolean }

const { SafeString } = nunjucks.runtime

/** Nunjucks knows its own SafeString only: translate the core's SafeHtml into it. */
const toNunjucks = (value: unknown): unknown => (isSafeHtml(value) ? new SafeString(value.html) : value)

/**
 * Nunjucks escapes `{{ x }}` with its own table (no `=`, no backtick) in
 * `runtime.suppressValue(x, env.opts.autoescape)`, after calling `x.toString()`,
 * which throws for `{ toString: 1 }` or `Object.create(null)`. That runtime is one
 * module shared by every nunjucks environment in the process, so rather than
 * change it for all of them, our environments set `opts.autoescape` to this
 * marker (truthy: nunjucks still escapes) and `suppressValue` is wrapped once, on
 * the first engine built, to hand values carrying the marker to `escapeHtml`.
 * Any other environment's output is what nunjucks makes of it.
 */
const escapeWithDovetail = Object.freeze({ escape: 'dovetail escapeHtml' })
type SuppressValue = (value: unknown, autoescape: unknown) => unknown
let runtimeHooked = false
function hookRuntime(): void {
  if (runtimeHooked) return
  runtimeHooked = true
  const runtime = nunjucks.runtime as unknown as { suppressValue: SuppressValue }
  const original = runtime.suppressValue
  runtime.suppressValue = function suppressValue(this: unknown, value, autoescape) {
    if (autoescape !== escapeWithDovetail) return original.call(this, value, autoescape)
    return value instanceof SafeString ? value : escapeHtml(value)
  }
}

/** The `escape` (`e`) filter, with the same table. */
const escapeFilter = (value: unknown): unknown => (value instanceof SafeString ? value : new SafeString(escapeHtml(value)))

function safeResults(fn: (...args: any[]) => unknown): (...args: any[]) => unknown {
  return function (this: unknown, ...args: unknown[]) {
    return toNunjucks(fn.apply(this, args))
  }
}

/** Top-level values of a render's context: SafeHtml becomes SafeString, functions return it converted. */
function contextOf(values: Record<string, unknown>, into: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    into[key] = typeof value === 'function' ? safeResults(value as (...args: any[]) => unknown) : toNunjucks(value)
  }
}

/**
 * The template slot on nunjucks 3 (Jinja2 syntax): `{% extends %}` and
 * `{% block %}` for layouts, `{% include %}` for partials, `| filter`s.
 * Helpers and globals are nunjucks globals; `url` and
 * `ctx.state.templateGlobals` join the render's context, and the data wins
 * over all of them. Errors keep their cause (nunjucks' `dev` mode is on).
 * Output is escaped by the core's `escapeHtml`, like every template component.
 *
 * @example
 * // Usually built by the component; directly, e.g. in a script:
 * const engine = new NunjucksEngine({ ...nunjucksOptions.parse({ views: './views' }), cache: true })
 * const html = await engine.render('emails/welcome', { name: 'Ada' })
 */
export class NunjucksEngine implements TemplateEngine {
  readonly #env: nunjucks.Environment

  constructor(options: NunjucksEngineOptions) {
    this.#env = new nunjucks.Environment(new ViewsLoader(options.views, options.extension, options.cache), {
      autoescape: true,
      throwOnUndefined: false,
      trimBlocks: options.trimBlocks,
      lstripBlocks: options.lstripBlocks,
      // Keeps the cause, line and column on errors instead of a bare message.
      dev: true,
    })
    hookRuntime()
    ;(this.#env as unknown as { opts: { autoescape: unknown } }).opts.autoescape = escapeWithDovetail
    this.#env.addFilter('escape', escapeFilter)
    this.#env.addFilter('e', escapeFilter)
    for (const [name, fn] of Object.entries(options.filters)) this.#env.addFilter(name, safeResults(fn))
    for (const [name, fn] of Object.entries(options.helpers)) this.#env.addGlobal(name, safeResults(fn))
    const globals: Record<string, unknown> = {}
    contextOf(options.globals, globals)
    for (const [name, value] of Object.entries(globals)) this.#env.addGlobal(name, value)
  }

  render(name: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): Promise<string> {
    const context: Record<string, unknown> = {}
    for (const key of Object.keys(options.globals ?? {})) {
      const why = badGlobalName(key)
      if (why) {
        return Promise.reject(new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/nunjucks: the render's globals (url, ctx.state.templateGlobals) contain a bad name: ${why}. Rename it.`))
      }
    }
    if (options.globals) contextOf(options.globals, context)
    contextOf(data, context)
    return new Promise((resolve, reject) => {
      try {
        this.#env.render(name, context, (error, html) => (error ? reject(templateError(name, error)) : resolve(html ?? '')))
      } catch (error) {
        // A missing top-level template throws before the callback is ever called.
        reject(templateError(name, error))
      }
    })
  }

  async renderStream(name: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<ReadableStream<Uint8Array>> {
    return htmlStream(await this.render(name, data, options))
  }
}
