import { z } from 'zod'
import { ConfigInvalid } from '../errors/codes.js'
import type { ConfigLayer, Limits } from './define-config.js'

/** `config.limits` after every layer, with defaults. */
export interface ResolvedLimits {
  /** Milliseconds, or `false` for no time limit. */
  handlerTimeout: number | false
}

/** What `limits.handlerTimeout` is when no layer sets it. */
export const defaultHandlerTimeout = 30_000

// setTimeout fires at once for anything larger (and warns), which would end every request.
const longestTimer = 2 ** 31 - 1
const limitKeys: ReadonlyArray<keyof Limits> = ['handlerTimeout']

/**
 * `config.limits` as a schema, defaults included: what {@link resolveLimits}
 * checks each layer's values with, and what the limits table in
 * docs/security.md is checked against.
 *
 * @example
 * limitsOptions.parse({}) // { handlerTimeout: 30000 }
 */
export const limitsOptions = z.strictObject({
  handlerTimeout: z.union([z.literal(false), z.number().int().min(1).max(longestTimer)]).default(defaultHandlerTimeout),
})

/** Each layer's `limits`, checked; a later layer's keys win. */
export function resolveLimits(layers: ReadonlyArray<{ where: string; layer: ConfigLayer }>): ResolvedLimits {
  let handlerTimeout: number | false = defaultHandlerTimeout
  for (const { where, layer } of layers) {
    const limits: unknown = layer.limits
    if (limits === undefined) continue
    if (typeof limits !== 'object' || limits === null || Array.isArray(limits)) {
      throw ConfigInvalid(`${where}.limits must be an object such as { handlerTimeout: 30000 }.`)
    }
    for (const key of Object.keys(limits)) {
      if (!limitKeys.includes(key as keyof Limits)) throw ConfigInvalid(`${where}.limits has an unknown key '${key}'. Allowed: ${limitKeys.join(', ')}.`)
    }
    const value = (limits as Limits).handlerTimeout
    if (value === undefined) continue
    if (!limitsOptions.shape.handlerTimeout.safeParse(value).success) {
      throw ConfigInvalid(
        `${where}.limits.handlerTimeout is ${JSON.stringify(value)}; give whole milliseconds from 1 to ${longestTimer} (30000 is 30 s), or false for no time limit.`,
      )
    }
    handlerTimeout = value
  }
  return { handlerTimeout }
}
