import { DovetailError } from '../errors/dovetail-error.js'
import type { MissingTemplate } from './views-lookup.js'

/**
 * `DOVETAIL_ERR_TEMPLATE_NOT_FOUND` for a `MissingTemplate`: `component` is the
 * component's name, `where` what the engine knows about who asked for it.
 *
 * @example
 * throw templateNotFound('@acme/template-foo', missing, '', error)
 */
export function templateNotFound(component: string, missing: MissingTemplate, where: string, cause: unknown): DovetailError {
  return new DovetailError(
    'DOVETAIL_ERR_TEMPLATE_NOT_FOUND',
    `${component}: template '${missing.template}'${where} was not found: ${missing.message}. Check the name and the views option.`,
    { cause },
  )
}

/**
 * An error followed by its `cause`s, outermost first, stopping at a cycle:
 * engines wrap what a template threw, once per template it passes through.
 *
 * @example
 * const thrown = causeChain(error).at(-1)
 */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = []
  for (let e = error; e !== undefined && !chain.includes(e); e = (e as { cause?: unknown } | null)?.cause) chain.push(e)
  return chain
}
