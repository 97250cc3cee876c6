import { token } from '../container/token.js'

/**
 * Names a template sees besides its data: helpers such as `url()`, values such
 * as a site name. Keys must be valid JavaScript identifiers, so that every
 * engine (including those that compile templates to functions) can expose
 * them as bare names.
 */
export type TemplateGlobals = Record<string, unknown>

export interface RenderOptions {
  /**
   * Globals for this render only, on top of those the component was configured
   * with. `ctx.render` passes `url` and `ctx.state.templateGlobals` here.
   */
  globals?: TemplateGlobals
}

/**
 * The template slot's contract (version 1). Implementations must pass
 * `runTemplateConformance` from `dovetailjs/testing/conformance`.
 *
 * - `name` is a path below one of the component's views directories, without
 *   the engine's file extension (`'pages/home'`). The directories are searched
 *   in order; the first that holds the file wins.
 * - Output is HTML-escaped unless the template asks for raw output or the
 *   value is a {@link SafeHtml}.
 * - A missing template rejects with a `DovetailError` coded
 *   `DOVETAIL_ERR_TEMPLATE_NOT_FOUND`; a template that fails to compile or
 *   throws while rendering rejects with `DOVETAIL_ERR_TEMPLATE_RENDER`, naming
 *   the template, the line when the engine knows it, and the cause.
 * - `renderStream` never emits a half-written page: it resolves only once the
 *   page is known to complete (an engine may simply render fully first), so a
 *   failure is a rejected promise, before any byte or status is sent.
 *
 * @example
 * const engine = app.resolve(TemplateEngine)
 * const html = await engine.render('emails/welcome', { user }, { globals: { url: app.url.bind(app) } })
 */
export interface TemplateEngine {
  render(name: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<string>
  renderStream(name: string, data?: Record<string, unknown>, options?: RenderOptions): Promise<ReadableStream<Uint8Array>>
}

export const TemplateEngine = token<TemplateEngine>('TemplateEngine')

const encoder = new TextEncoder()

/**
 * A one-chunk stream of a finished page: what an engine that renders fully
 * first returns from `renderStream`.
 *
 * @example
 * async renderStream(name, data, options) { return htmlStream(await this.render(name, data, options)) }
 */
export function htmlStream(html: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (html.length > 0) controller.enqueue(encoder.encode(html))
      controller.close()
    },
  })
}
