import { defineConfig } from 'dovetailjs'

/** The app every entry in this folder serves; only the server component differs. */
export default defineConfig({
  routes(r) {
    r.get('/', (ctx) => ctx.text('hello from behind the web server'))
    // What the app sees of the request: the URL the client used, and the client's address.
    r.get('/where', (ctx) => ctx.json({ url: ctx.request.url, client: ctx.clientAddress ?? null }))
    r.post('/echo', async (ctx) => ctx.text(await ctx.request.text()))
  },
})
