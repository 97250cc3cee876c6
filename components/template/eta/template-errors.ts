import { EtaError, EtaRuntimeError } from 'eta'
import { DovetailError } from '../../../core/index.js'
import { causeChain, MissingTemplate, templateNotFound } from '../../../core/template-kit/index.js'

/** Thrown by the compiler with the file it was compiling, which eta's own parse errors lack. */
export class BrokenTemplate extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
    options: { cause: unknown },
  ) {
    super(`${file}: ${reason}`, options)
  }
}

/**
 * Turn whatever rendering `name` threw into a `DovetailError` that names the
 * template, the file and line, and the cause. Eta wraps an error once per
 * template it passes through (page, layout, partial); the innermost wrapper
 * knows the line, the end of the chain is what was really thrown.
 */
export function templateError(name: string, error: unknown): DovetailError {
  const chain = causeChain(error)
  const missing = chain.find((e) => e instanceof MissingTemplate)
  if (missing) {
    const where = missing.from ? ` (used by ${missing.from}, while rendering '${name}')` : ''
    return templateNotFound('template/eta', missing, where, error)
  }
  const broken = chain.find((e) => e instanceof BrokenTemplate)
  if (broken) {
    return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/eta: template '${name}' could not be compiled: ${broken.message}`, { cause: broken.cause })
  }
  const cause = chain.at(-1)
  const located = chain.filter((e): e is EtaRuntimeError => e instanceof EtaRuntimeError).at(-1)
  // Eta's runtime message is "<file>:<line>\n<numbered source lines>\n\n<original message>".
  const at = located?.message.match(/^(.*):(\d+)\n([\s\S]*?)\n\n/)
  const reason = cause instanceof Error && !(cause instanceof EtaError) ? `${cause.name}: ${cause.message}` : String((cause as Error)?.message ?? cause)
  const where = at ? ` at ${at[1]} line ${at[2]}:\n${at[3]}\n` : ' '
  return new DovetailError('DOVETAIL_ERR_TEMPLATE_RENDER', `template/eta: template '${name}' failed to render${where}${reason}`, { cause })
}
