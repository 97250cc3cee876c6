import { describe, expect, it } from 'vitest'
import { createApp, defineConfig } from 'dovetailjs'
import { Kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { createTestClient } from 'dovetailjs/testing'

describe('orm/kysely: many queries at once in one request', () => {
  it('answers twenty concurrent queries without a MaxListenersExceededWarning on the request signal', async () => {
    const warnings: string[] = []
    const onWarning = (warning: Error) => void warnings.push(`${warning.name}: ${warning.message}`)
    process.on('warning', onWarning)
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: kysely({ url: ':memory:' }) },
        routes: (r) =>
          r.get('/twenty', async (ctx) => {
            const db = ctx.resolve(Kdb)
            const rows = await Promise.all(Array.from({ length: 20 }, (_, i) => db.selectNoFrom((eb) => eb.val(i).as('n')).executeTakeFirstOrThrow()))
            return ctx.json(rows.map((row) => Number(row.n)))
          }),
      }),
    )
    try {
      const res = await createTestClient(app).get('/twenty')
      expect(await res.json()).toEqual(Array.from({ length: 20 }, (_, i) => i))
      // Node reports the warning on the next tick.
      await new Promise((resolve) => setImmediate(resolve))
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([])
    } finally {
      process.off('warning', onWarning)
      await app.close()
    }
  })
})
