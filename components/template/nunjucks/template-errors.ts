import { DovetailError } from '../../../core/index.js'
import { MissingTemplate } from './views-loader.js'

function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && !chain.includes(e); e = (e as { cause?: unknown } | null)?.cause) chain.push(e)
  return chain
}

/**
 * Turn whatever rendering `name` threw into a `DovetailError` naming the
 * template, the file and line, and the cause.
 *
 * Nunjucks prefixes its message with `(file)` once per template the error
 * passes through, the first with `[Line n, Column m]`: the innermost file with
 * a line is where it happened. Parse errors count lines from 1, but an error
 * thrown while rendering (one nunjucks wraps, keeping it as `cause`) carries
 * the compiler's count from 0, so that one is shifted by one.
 */
export function templateError(name: string, error: unknown): DovetailError {
  const chain = chainOf(error)
  const missing = chain.find((e) => e instanceof MissingTemplate)
  if (missing) {
    const where = missing.template === name ? '' : ` (used while rendering '${name}')`
    return new DovetailError(
      'DOVETAIL_ERR_TEMPLATE_NOT_FOUND',
      `template/nunjucks: template '${missing.template}'${where} was not found: looked for '${missing.file}' in ${missing.searched.join(', ')}. Check the name and the views option.`,
      { cause: error },
    )
  }
  const message = String((error as Error)?.message ?? error)
  const at = message.match(/\(([^()\n]+)\) \[Line (\d+)(?:, Column (\d+))?\]/)
  // What is left once the "(file) [Line …]" prefixes are gone is nunjucks' own reason.
  const reason = message
    .split('\n')
    .filter((line) => !/^\s*\([^()\n]+\)( \[Line \d+(, Column \d+)?\])?\s*$/.test(line))
    .map((line) => line.trim())
    .join(' ')
  const shift = (error as { cause?: unknown })?.cause === undefined ? 0 : 1
  const where = at ? ` at ${at[1]} line ${Number(at[2]) + shift}${at[3] ? ` column ${Number(at[3]) + shift}` : ''}` : ''
  const cause = chain.at(-1)
  return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/nunjucks: template '${name}' failed to render${where}: ${reason}`, { cause })
}
