import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import type Handlebars from 'handlebars'
import { DovetailError, htmlStream, type RenderOptions, type TemplateEngine, type TemplateGlobals } from 'dovetailjs'
import { findView, templateFile } from 'dovetailjs/template-kit'
import { createEnvironment, type HandlebarsEnv } from './environment.js'
import { parseTemplate, templateError } from './errors.js'
import { plainHelpers } from './helpers.js'
import { componentName } from './name.js'
import { badName, type HandlebarsResolvedOptions } from './options.js'

/**
 * What the engine is built with: the validated options, with `cache` decided
 * (the component turns it on outside development unless told otherwise).
 *
 * @example
 * const options: HandlebarsEngineOptions = { ...handlebarsOptions.parse({ views: './views' }), cache: false }
 */
export type HandlebarsEngineOptions = Omit<HandlebarsResolvedOptions, 'cache'> & { cache: boolean }

type Helpers = Record<string, Handlebars.HelperDelegate>

/**
 * The template slot on Handlebars 4. Data is the context (`{{title}}`);
 * helpers, filters, globals, `url` and `ctx.state.templateGlobals` are
 * helpers (`{{url "page" slug=slug}}`, `{{siteName}}`). Every template in the
 * views directories is a partial by its name (`{{> partials/nav}}`), and a
 * layout is a partial block: `{{#> layout}}…{{/layout}}` in the page,
 * `{{> @partial-block}}` in the layout.
 *
 * Caching: with `cache`, each file is read and compiled once. Without it,
 * every render reads the files again and recompiles only those that changed.
 *
 * @example
 * // Usually built by the component; directly, e.g. in a script:
 * const engine = new HandlebarsEngine({ ...handlebarsOptions.parse({ views: './views' }), cache: true })
 * const html = await engine.render('emails/welcome', { name: 'Ada' })
 */
export class HandlebarsEngine implements TemplateEngine {
  readonly #options: HandlebarsEngineOptions
  readonly #env: HandlebarsEnv
  readonly #helpers: Helpers
  readonly #paths = new Map<string, string>()
  readonly #compiled = new Map<string, { source: string; template: Handlebars.TemplateDelegate }>()

  constructor(options: HandlebarsEngineOptions) {
    this.#options = options
    this.#env = createEnvironment((name) => this.#load(name))
    const plain = plainHelpers({ ...options.globals, ...options.filters, ...options.helpers })
    this.#helpers = { ...plain, ...(options.handlebarsHelpers as Helpers) }
  }

  async render(name: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): Promise<string> {
    try {
      const template = this.#load(name)
      return template(data, { helpers: this.#helpersFor(data, options.globals) })
    } catch (error) {
      throw templateError(name, error)
    }
  }

  async renderStream(name: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<ReadableStream<Uint8Array>> {
    // Rendered in full first, so a failure rejects before a byte is sent.
    return htmlStream(await this.render(name, data, options))
  }

  /** The configured helpers plus this render's globals; a name the data has is left to the data, as in the other engines. */
  #helpersFor(data: Record<string, unknown>, extra: TemplateGlobals | undefined): Helpers {
    let helpers = this.#helpers
    if (extra) {
      for (const key of Object.keys(extra)) {
        const why = badName(key)
        if (why) throw new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `${componentName}: the render's globals (url, ctx.state.templateGlobals) contain a bad name: ${why}. Rename it.`)
      }
      helpers = { ...helpers, ...plainHelpers(extra) }
    }
    const shadowed = Object.keys(data).filter((key) => Object.hasOwn(helpers, key))
    if (shadowed.length === 0) return helpers
    const own = { ...helpers }
    for (const key of shadowed) delete own[key]
    return own
  }

  /** The compiled template for `name`: page, partial or layout alike. */
  #load(name: string): Handlebars.TemplateDelegate {
    const { cache, views, extension } = this.#options
    let file = cache ? this.#paths.get(name) : undefined
    if (!file) {
      // Names start at the views roots (a leading slash too); findView never reads outside them.
      const wanted = templateFile(name, extension)
      file = findView(name, wanted, views, views.map((root) => resolve(root, wanted.replace(/^[/\\]+/, ''))))
      if (cache) this.#paths.set(name, file)
    }
    const known = this.#compiled.get(file)
    if (known && cache) return known.template
    const source = readFileSync(file, 'utf8')
    if (known?.source === source) return known.template
    const env = this.#env
    const ast = parseTemplate(() => env.parseWithoutProcessing(source, { srcName: file }), file)
    const template = env.compile(ast)
    this.#compiled.set(file, { source, template })
    return template
  }
}
