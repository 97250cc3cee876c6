import { fileURLToPath } from 'node:url'
import { createApp, defineConfig } from 'dovetailjs'
import { csrf } from 'dovetailjs/components/middleware/csrf'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { eta } from 'dovetailjs/components/template/eta'

/** A guestbook whose form can only be sent from its own page. */
export async function createGuestbook(secret: string) {
  const entries: string[] = []
  const app = await createApp(
    defineConfig({
      components: {
        template: eta({ views: fileURLToPath(new URL('./views', import.meta.url)) }),
        'session-store': memoryStore(),
        // Order matters: csrf keeps its secret in the session.
        middleware: [sessionMiddleware({ secrets: [secret] }), csrf()],
      },
      routes(r) {
        r.get('/', (ctx) => ctx.render('guestbook', { entries }))
        r.post('/entries', async (ctx) => {
          const form = await ctx.request.formData()
          entries.push(String(form.get('text')))
          return ctx.redirect('/', 303)
        })
      },
    }),
  )
  return { app, entries }
}
