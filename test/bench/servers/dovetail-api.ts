/**
 * The `api` preset as a user gets it (request-log on pino, security-headers,
 * cors, JSON error pages, body, the MikroORM component on SQLite), with the
 * origin allowed by cors.
 */
import { createApp, defineConfig } from 'dovetailjs'
import { readJson } from 'dovetailjs/components/middleware/body'
import { cors } from 'dovetailjs/components/middleware/cors'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { announce } from '../bench-routes.js'
import { ORIGIN } from '../preset/api.js'

const app = await createApp(
  defineConfig({
    preset: 'api',
    environment: 'production',
    components: {
      orm: mikroOrm({ url: process.env.BENCH_DB_URL ?? ':memory:' }),
      middleware: { replace: { cors: cors({ origin: [ORIGIN] }) } },
    },
    routes(r) {
      r.get('/json', (ctx) => ctx.json({ message: 'Hello, World!' }))
      r.post('/items', async (ctx) => {
        const item = (await readJson(ctx)) as { name: string; qty: number }
        return ctx.json({ id: 1, name: item.name, qty: item.qty }, { status: 201 })
      })
    },
  }),
)

const server = await app.listen({ port: 0, host: '127.0.0.1' })
announce(server.port)
