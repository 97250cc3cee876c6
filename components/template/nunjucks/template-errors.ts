import { DovetailError } from '../../../core/index.js'
import { causeChain, MissingTemplate, templateNotFound } from '../../../core/template-kit/index.js'

/**
 * Turn whatever rendering `name` threw into a `DovetailError` naming the
 * template, the file and line, and the cause.
 *
 * Nunjucks prefixes its message with `(file)` once per template the error
 * passes through, innermost last; in dev mode the error also keeps `lineno`,
 * `colno` and `cause`. Parse errors count lines from 1, but an error thrown
 * while rendering (one nunjucks wraps, keeping it as `cause`) carries the
 * compiler's count from 0, so that one is shifted by one.
 */
export function templateError(name: string, error: unknown): DovetailError {
  const chain = causeChain(error)
  const missing = chain.find((e) => e instanceof MissingTemplate)
  if (missing) {
    const where = missing.template === name ? '' : ` (used while rendering '${name}')`
    return templateNotFound('template/nunjucks', missing, where, error)
  }
  const e = error as { message?: unknown; lineno?: unknown; colno?: unknown; cause?: unknown } | null
  const lines = String(e?.message ?? error).split('\n')
  const pathLine = /^\s*\(([^()\n]+)\)( \[Line \d+(, Column \d+)?\])?\s*$/
  const file = lines.map((line) => line.match(pathLine)?.[1]).filter(Boolean).at(-1)
  const reason = lines.filter((line) => !pathLine.test(line)).map((line) => line.trim()).join(' ')
  const shift = e?.cause === undefined ? 0 : 1
  const line = typeof e?.lineno === 'number' ? ` line ${e.lineno + shift}` : ''
  const column = line && typeof e?.colno === 'number' ? ` column ${e.colno + shift}` : ''
  const where = file ? ` at ${file}${line}${column}` : ''
  return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/nunjucks: template '${name}' failed to render${where}: ${reason}`, { cause: chain.at(-1) })
}
