import { createApp, defineConfig } from 'dovetailjs'
import { cors } from 'dovetailjs/components/middleware/cors'

/** A JSON API called from a single-page app on another origin, with cookies. */
export const createNotesApi = () =>
  createApp(
    defineConfig({
      components: {
        middleware: [
          cors({
            origin: ['https://notes.example.com', 'http://localhost:5173'],
            credentials: true,
            allowedHeaders: ['content-type', 'x-csrf-token'],
            exposedHeaders: ['x-request-id'],
            maxAge: 3600,
          }),
          'error-pages',
        ],
      },
      routes(r) {
        r.get('/notes', (ctx) => ctx.json([{ id: 1, text: 'buy tea' }]))
        r.put('/notes/:id', async (ctx) => ctx.json({ id: Number(ctx.params.id), ...((await ctx.request.json()) as object) }))
      },
    }),
  )
