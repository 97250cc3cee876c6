// Compiled alone by test/validation/types.test.ts, which expects tsc to refuse it: the handler
// reads a field its body schema does not have. No @ts-expect-error here on purpose.
import { z } from 'zod'
import { defineConfig } from 'dovetailjs'

export default defineConfig({
  routes(r) {
    r.post('/notes', { schemas: { body: z.object({ title: z.string() }) } }, (ctx) => ctx.json({ author: ctx.input.body.author }))
  },
})
