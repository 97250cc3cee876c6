import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { Eta, EtaParseError, type TemplateFunction } from 'eta'
import {
  DovetailError,
  escapeHtml,
  htmlStream,
  type RenderOptions,
  type TemplateEngine,
  type TemplateGlobals,
} from '../../../core/index.js'
import { findView, templateFile } from '../../../core/template-kit/index.js'
import { badGlobalName, type EtaResolvedOptions } from './options.js'
import { BrokenTemplate, templateError } from './template-errors.js'

export type EtaEngineOptions = Omit<EtaResolvedOptions, 'cache'> & { cache: boolean }

// What eta hands the compiled function as `options`; `globals` is ours.
interface CallOptions {
  async?: boolean
  filepath?: string
  globals?: TemplateGlobals
}

/**
 * The template slot on eta 4. Data is `it`; helpers, filters, globals, `url`
 * and `ctx.state.templateGlobals` are bare names, declared at the top of each
 * compiled template. Names resolve from the views roots (`'partials/nav'`),
 * or from the including file when they start with `./` or `../`.
 *
 * Caching: with `cache`, each file is read and compiled once. Without it,
 * every render reads the file again and recompiles it only if it changed.
 *
 * @example
 * // Usually built by the component; directly, e.g. in a script:
 * const engine = new EtaEngine({ ...etaOptions.parse({ views: './views' }), cache: true })
 * const html = await engine.render('emails/welcome', { name: 'Ada' })
 */
export class EtaEngine implements TemplateEngine {
  readonly #eta: Eta
  readonly #options: EtaEngineOptions
  readonly #globals: TemplateGlobals
  readonly #paths = new Map<string, string>()
  readonly #sources = new Map<string, string>()
  readonly #compiled = new Map<string, { source: string; fn: TemplateFunction }>()

  constructor(options: EtaEngineOptions) {
    this.#options = options
    this.#globals = { ...options.helpers, ...options.filters, ...options.globals }
    const eta = new Eta({
      views: options.views[0]!,
      defaultExtension: options.extension,
      autoEscape: true,
      escapeFunction: escapeHtml,
      // Our own caches below; eta's would key by path alone and never see a change.
      cache: false,
      cacheFilepaths: false,
      // Line numbers in runtime errors, at the price of one assignment per tag.
      debug: true,
    })
    const engine = this
    const compile = eta.compile
    const compileToString = eta.compileToString
    eta.resolvePath = (name, call) => this.#resolve(name, (call as CallOptions | undefined)?.filepath)
    eta.readFile = (file) => this.#read(file)
    eta.compile = function (source, call) {
      return engine.#compile(source, call as CallOptions, () => compile.call(this, source, call))
    }
    eta.compileToString = function (source, call) {
      // Bare names for everything in the globals, before eta's own declarations.
      const names = Object.keys((call as CallOptions | undefined)?.globals ?? {})
      const header = names.length ? `const { ${names.join(', ')} } = options.globals;\n` : ''
      return header + compileToString.call(this, source, call)
    }
    this.#eta = eta
  }

  async render(name: string, data: Record<string, unknown> = {}, options: RenderOptions = {}): Promise<string> {
    const globals = this.#globalsFor(options.globals)
    try {
      return await this.#eta.renderAsync(name, data, { globals } as never)
    } catch (error) {
      throw templateError(name, error)
    }
  }

  async renderStream(name: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<ReadableStream<Uint8Array>> {
    return htmlStream(await this.render(name, data, options))
  }

  #globalsFor(extra: TemplateGlobals | undefined): TemplateGlobals {
    if (!extra) return this.#globals
    for (const key of Object.keys(extra)) {
      const why = badGlobalName(key)
      if (why) throw new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/eta: the render's globals (url, ctx.state.templateGlobals) contain a bad name: ${why}. Rename it.`)
    }
    return { ...this.#globals, ...extra }
  }

  #resolve(name: string, from: string | undefined): string {
    const key = from && /^\.\.?\//.test(name) ? `${from}\0${name}` : name
    const known = this.#options.cache ? this.#paths.get(key) : undefined
    if (known) return known
    const file = templateFile(name, this.#options.extension)
    const roots = this.#options.views
    // A leading slash means the views roots too, as in eta.
    const candidates = key !== name ? [resolve(dirname(from!), file)] : roots.map((root) => resolve(root, file.replace(/^[/\\]+/, '')))
    const found = findView(name, file, roots, candidates, from)
    if (this.#options.cache) this.#paths.set(key, found)
    return found
  }

  #read(file: string): string {
    const cached = this.#sources.get(file)
    if (cached !== undefined) return cached
    const source = readFileSync(file, 'utf8')
    if (this.#options.cache) this.#sources.set(file, source)
    return source
  }

  #compile(source: string, call: CallOptions, compile: () => TemplateFunction): TemplateFunction {
    // The declared names are part of the compiled code, so they are part of the key.
    const key = `${call.async ? 'async' : 'sync'}\0${call.filepath}\0${Object.keys(call.globals ?? {}).join(',')}`
    const hit = this.#compiled.get(key)
    if (hit && hit.source === source) return hit.fn
    let fn: TemplateFunction
    try {
      fn = compile()
    } catch (error) {
      if (!(error instanceof EtaParseError)) throw error
      // "Bad template syntax" carries the whole generated function after the JavaScript error; keep the error.
      const reason = error.message.replace(/^Bad template syntax\n\n([^\n]*)[\s\S]*$/, 'JavaScript syntax error in a tag: $1')
      throw new BrokenTemplate(call.filepath ?? '(unknown file)', reason, { cause: error })
    }
    this.#compiled.set(key, { source, fn })
    return fn
  }
}
