import { z } from 'zod'
import { defineComponent, Router } from '../../../core/index.js'
import { RadixRouter } from './radix-router.js'

export const radixOptions = z.strictObject({
  ignoreTrailingSlash: z.boolean().default(false),
  ignoreDuplicateSlashes: z.boolean().default(false),
  caseSensitive: z.boolean().default(true),
  maxParamLength: z.number().int().positive().default(500),
  regexCheckSteps: z.number().int().positive().default(1000),
})

/**
 * The default router, on find-my-way.
 *
 * @example
 * import radix from 'dovetailjs/components/router/radix'
 * defineConfig({ components: { router: radix({ ignoreTrailingSlash: true }) } })
 */
export const radix = defineComponent({
  name: 'router/radix',
  slot: 'router',
  contract: '^1.0',
  options: radixOptions,
  register(c, options) {
    c.singleton(Router, () => new RadixRouter(options))
  },
})
