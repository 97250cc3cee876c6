import { fileURLToPath } from 'node:url'
import { createApp, defineConfig } from 'dovetailjs'
import serveStatic from 'dovetailjs/components/middleware/static'

const publicDir = fileURLToPath(new URL('./public', import.meta.url))

/** The files in ./public under /static, next to an ordinary route. */
export const createStaticApp = () =>
  createApp(
    defineConfig({
      components: {
        middleware: [serveStatic({ root: publicDir, prefix: '/static', maxAge: 3600 })],
      },
      routes(r) {
        r.get('/', (ctx) => ctx.redirect('/static/'))
      },
    }),
  )
