import type Handlebars from 'handlebars'

/** Where in a template Handlebars says a helper was called (`options.loc`, from the file name given to the parser). */
interface Location {
  source?: string
  start?: { line: number }
}

/** A plain helper threw: carries the helper's name and where it was called, with what it threw as `cause`. */
export class HelperFailed extends Error {
  constructor(
    readonly helper: string,
    readonly loc: Location | undefined,
    options: { cause: unknown },
  ) {
    super(`helper '${helper}' threw`, options)
  }
}

type HelperOptions = Handlebars.HelperOptions & { loc?: Location }
type Plain = (...args: any[]) => unknown

/**
 * A Handlebars helper around a plain function, so that one set of helpers
 * works in every Dovetail template engine: positional arguments as they are,
 * then the hash (`slug=item.slug`) as one last object if there is one. A
 * value that is not a function becomes a helper returning it, so `{{siteName}}`
 * prints it at any depth of the context.
 *
 * Its result is escaped like any `{{x}}`; used as a block it would be printed
 * raw, so that is refused.
 *
 * @example
 * plainHelper('url', (name, params) => app.url(name, params)) // {{url "item" slug=item.slug}}
 */
export function plainHelper(name: string, value: unknown): Handlebars.HelperDelegate {
  const fn: Plain = typeof value === 'function' ? (value as Plain) : () => value
  return (...args: unknown[]) => {
    const options = args.pop() as HelperOptions
    // Handlebars sets `fn` only for a block (`{{#name}}…{{/name}}`), so that helpers can tell.
    if (options.fn !== undefined) {
      const cause = new Error(`'${name}' is a plain function, so it cannot open a block ({{#${name}}}); write {{${name} …}}, or give a block helper in the handlebarsHelpers option`)
      throw new HelperFailed(name, options.loc, { cause })
    }
    if (Object.keys(options.hash).length > 0) args.push({ ...options.hash })
    try {
      return fn(...args)
    } catch (error) {
      throw new HelperFailed(name, options.loc, { cause: error })
    }
  }
}

/**
 * Helpers for a whole record of plain functions or values.
 *
 * @example
 * plainHelpers({ money: (n: number) => `€${n.toFixed(2)}` })
 */
export const plainHelpers = (record: Record<string, unknown>): Record<string, Handlebars.HelperDelegate> =>
  Object.fromEntries(Object.entries(record).map(([name, value]) => [name, plainHelper(name, value)]))
