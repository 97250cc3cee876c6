/**
 * The `fullstack` preset as a user gets it (request-log, security-headers,
 * error-pages, compression, static, session, body, csrf, auth, transaction;
 * MikroORM on SQLite), with sessions in memory as Fastify's are, and a form page.
 */
import { createApp, defineConfig } from 'dovetailjs'
import { UserLoader } from 'dovetailjs/components/middleware/auth'
import { readForm } from 'dovetailjs/components/middleware/body'
import { csrfToken } from 'dovetailjs/components/middleware/csrf'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { serveStatic } from 'dovetailjs/components/middleware/static'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { eta } from 'dovetailjs/components/template/eta'
import { announce } from '../bench-routes.js'
import { csrfInput, LINES, SESSION_SECRET } from '../preset/fullstack.js'

const views = process.env.BENCH_VIEWS!
const app = await createApp(
  defineConfig({
    preset: 'fullstack',
    environment: 'production',
    components: {
      template: eta({ views }),
      orm: mikroOrm({ url: process.env.BENCH_DB_URL ?? ':memory:' }),
      'session-store': 'memory',
      middleware: {
        replace: {
          session: sessionMiddleware({ secrets: [SESSION_SECRET] }),
          static: serveStatic({ root: views, prefix: '/static' }),
        },
      },
    },
    register(c) {
      c.value(UserLoader, () => undefined)
    },
    routes(r) {
      r.get('/form', async (ctx) => {
        const s = await session<{ name: string }>(ctx)
        return ctx.render('form', { name: s.get('name') ?? 'stranger', csrf: csrfInput(await csrfToken(ctx)), lines: LINES })
      })
      r.post('/form', async (ctx) => {
        const name = String((await readForm(ctx)).get('name') ?? '')
        const s = await session<{ name: string }>(ctx)
        s.set('name', name)
        return ctx.render('thanks', { name, lines: LINES })
      })
    },
  }),
)

const server = await app.listen({ port: 0, host: '127.0.0.1' })
announce(server.port)
