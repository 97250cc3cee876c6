import { createApp, defineConfig } from 'dovetailjs'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'

/** What this app keeps in a session; `session<CartSession>(ctx)` types get and set. */
interface CartSession {
  cart: string[]
  flash: string
}

/**
 * A shop cart kept in the session, and a one-time "flash" message shown after
 * a redirect. The secret comes from the environment in a real deployment.
 */
export const createShop = (secret = process.env.SESSION_SECRET ?? 'dev-only-secret-change-me-0123456789abcdef') =>
  createApp(
    defineConfig({
      components: {
        'session-store': memoryStore(),
        middleware: [sessionMiddleware({ secrets: [secret], idleTimeout: 30 * 60_000 })],
      },
      routes(r) {
        r.get('/cart', async (ctx) => {
          const s = await session<CartSession>(ctx)
          const flash = s.get('flash')
          s.delete('flash') // shown once
          return ctx.json({ cart: s.get('cart') ?? [], flash: flash ?? null })
        })
        r.post('/cart/:item', async (ctx) => {
          const s = await session<CartSession>(ctx)
          s.set('cart', [...(s.get('cart') ?? []), ctx.params.item!])
          s.set('flash', `Added ${ctx.params.item}`)
          return ctx.redirect('/cart', 303)
        })
        r.post('/cart/clear', async (ctx) => {
          ;(await session(ctx)).destroy()
          return ctx.redirect('/cart', 303)
        })
      },
    }),
  )
