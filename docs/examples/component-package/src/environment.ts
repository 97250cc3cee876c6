import Handlebars from 'handlebars'
import { escapeHtml } from 'dovetailjs'

export type HandlebarsEnv = typeof Handlebars
type Partial = Handlebars.TemplateDelegate
type Spec = Record<string, unknown>
type ResolvePartial = (partial: Partial | undefined, context: unknown, options: { name: string; partials: Record<string, Partial> }) => Partial | undefined

// Two hooks the typings leave out. Handlebars' compiler hands every compiled
// template to `env.template`, and its runtime looks partials up through
// `env.VM.resolvePartial`, reading both off the environment so that embedders
// can replace them. We replace them on our own environment only, never on the
// shared default instance.
interface Hooks {
  template(spec: Spec): Handlebars.TemplateDelegate
  VM: { resolvePartial: ResolvePartial } & Record<string, unknown>
}

/**
 * Print a value the way Dovetail's contract says: `escapeHtml` (the same
 * bytes as every other template component), a `SafeHtml` as it is anywhere,
 * and Handlebars' own `SafeString` (what a block helper may return) as it is.
 */
const escapeFor = (env: HandlebarsEnv) => (value: unknown): string =>
  value instanceof env.SafeString ? value.toHTML() : escapeHtml(value)

/**
 * A Handlebars environment of our own (`Handlebars.create()`): its helpers,
 * partials and hooks are not shared with any other user of the handlebars
 * package in the process.
 *
 * - Escaping: Handlebars escapes `{{x}}` by default, but with its own table
 *   (`&#x27;`, `&#x3D;`, no backslash) and without knowing `SafeHtml`. Every
 *   compiled function receives its template's `container` first, so each one
 *   is wrapped to install our escape function there before it runs.
 * - Partials: `loadPartial(name)` is asked for any partial the render has not
 *   seen yet, so partials and layouts come from the views directories on
 *   first use, and the rest of the render reuses them.
 *
 * @example
 * const env = createEnvironment((name) => env.compile(readFileSync(`views/${name}.hbs`, 'utf8')))
 * const html = env.compile('{{> header}}<p>{{text}}</p>')({ text: "it's <b>" }) // …<p>it&#39;s &lt;b&gt;</p>
 */
export function createEnvironment(loadPartial: (name: string) => Partial): HandlebarsEnv {
  const env = Handlebars.create()
  const hooks = env as unknown as Hooks
  const escape = escapeFor(env)

  const template = hooks.template.bind(env)
  hooks.template = (spec) => {
    for (const key of Object.keys(spec)) {
      // 'main' and the numbered block programs; '<n>_d' are decorators, with another signature.
      const program = spec[key]
      if (typeof program !== 'function' || !(key === 'main' || /^\d+$/.test(key))) continue
      spec[key] = function (this: unknown, container: { escapeExpression: unknown }, ...rest: unknown[]) {
        container.escapeExpression = escape
        return (program as (...args: unknown[]) => unknown).call(this, container, ...rest)
      }
    }
    return template(spec)
  }

  const resolvePartial = hooks.VM.resolvePartial
  hooks.VM = {
    ...hooks.VM,
    resolvePartial(partial, context, options) {
      const found = resolvePartial(partial, context, options)
      if (found !== undefined || options.name === '@partial-block') return found
      return (options.partials[options.name] = loadPartial(options.name))
    },
  }
  return env
}
