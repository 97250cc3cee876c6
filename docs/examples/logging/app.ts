import { createApp, defineConfig, Logger } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'

/** An app that logs JSON lines with pino to `logFile` (stdout when omitted). */
export const createLoggingApp = (logFile?: string) =>
  createApp(
    defineConfig({
      preset: 'minimal',
      environment: 'production',
      components: {
        logger: pinoLogger({
          level: 'info',
          redact: ['card.number'],
          base: { service: 'shop' },
          ...(logFile ? { destination: logFile } : {}),
        }),
      },
      routes(r) {
        r.post('/orders', async (ctx) => {
          const order = (await ctx.request.json()) as { item: string; card: { number: string } }
          const log = ctx.resolve(Logger).child({ route: 'orders' })
          log.info({ item: order.item, card: order.card }, 'order placed')
          return ctx.json({ ok: true }, { status: 201 })
        })
      },
    }),
  )
