import { DovetailError } from 'dovetailjs'
import { causeChain, MissingTemplate, templateNotFound } from 'dovetailjs/template-kit'
import { HelperFailed } from './helpers.js'
import { componentName } from './name.js'

/** A template that does not parse: the file, the line Handlebars found, and its message. */
export class BrokenTemplate extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    options: { cause: unknown },
  ) {
    super(`${file}${line === undefined ? '' : ` line ${line}`}`, options)
  }
}

const lineOf = (error: unknown): number | undefined => {
  const e = error as { lineNumber?: unknown; message?: unknown }
  if (typeof e?.lineNumber === 'number') return e.lineNumber
  const match = /\bon line (\d+)/.exec(String(e?.message ?? ''))
  return match ? Number(match[1]) : undefined
}

/**
 * Parse `source` (the contents of `file`), turning a syntax error into a
 * `BrokenTemplate` that knows the file, since Handlebars' parse errors name
 * only the line.
 *
 * @example
 * const ast = parseTemplate(() => env.parseWithoutProcessing(source, { srcName: file }), file)
 */
export function parseTemplate<T>(parse: () => T, file: string): T {
  try {
    return parse()
  } catch (error) {
    throw new BrokenTemplate(file, lineOf(error), { cause: error })
  }
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error)

/**
 * Turn whatever rendering `name` threw into the contract's `DovetailError`:
 * `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` naming the missing template (the page, a
 * partial or a layout), or `DOVETAIL_ERR_TEMPLATE_RENDER` naming the template,
 * the file and line when Handlebars knows them, and the cause.
 *
 * @example
 * try { return template(data, runtime) } catch (error) { throw templateError(name, error) }
 */
export function templateError(name: string, error: unknown): DovetailError {
  if (error instanceof DovetailError) return error
  // A helper that renders a template of its own may wrap the miss.
  const missing = causeChain(error).find((e): e is MissingTemplate => e instanceof MissingTemplate)
  if (missing) {
    const used = missing.template === name ? '' : ` (a partial or layout used while rendering '${name}')`
    return templateNotFound(componentName, missing, used, error)
  }
  if (error instanceof BrokenTemplate) {
    // "Parse error on line 3:\n<source line>\n----^\nExpecting …": the line is in our prefix already.
    const reason = String((error.cause as Error)?.message ?? error.cause).replace(/^Parse error on line \d+:\n/, '')
    return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `${componentName}: template '${name}' could not be compiled at ${error.message}:\n${reason}`, { cause: error.cause })
  }
  if (error instanceof HelperFailed) {
    const at = error.loc?.start ? ` at ${error.loc.source ?? 'unknown file'} line ${error.loc.start.line}` : ''
    return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `${componentName}: template '${name}' failed to render${at}: ${error.message} ${describe(error.cause)}`, { cause: error.cause })
  }
  const line = lineOf(error)
  const at = line === undefined ? '' : ` at line ${line}`
  return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `${componentName}: template '${name}' failed to render${at}: ${describe(error)}`, { cause: error })
}
