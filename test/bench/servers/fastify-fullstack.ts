/**
 * The `fullstack` preset's equivalent on Fastify 5: pino request logging as in
 * fastify-logged.ts, @fastify/helmet set to Dovetail's default security headers,
 * @fastify/compress, @fastify/cookie + @fastify/session (memory store),
 * @fastify/csrf-protection, @fastify/formbody, @fastify/view with eta, and an
 * error handler.
 */
import compress from '@fastify/compress'
import cookie from '@fastify/cookie'
import csrf from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import fastifySession from '@fastify/session'
import view from '@fastify/view'
import { announce } from '../bench-routes.js'
import { csrfInput, LINES, SESSION_SECRET } from '../preset/fullstack.js'
import { benchEta } from './db-eta.js'
import { helmetAsDovetail, loggedFastify } from './fastify-logged.js'

declare module 'fastify' {
  interface Session {
    name?: string
  }
}

const views = process.env.BENCH_VIEWS!
const app = loggedFastify()

await app.register(
  helmet,
  helmetAsDovetail({
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    fontSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
  }),
)
await app.register(compress, { encodings: ['gzip'], threshold: 1024 })
await app.register(cookie)
await app.register(fastifySession, {
  secret: SESSION_SECRET,
  cookieName: 'sid',
  saveUninitialized: false,
  cookie: { secure: false, httpOnly: true, sameSite: 'lax', path: '/', maxAge: 604_800_000 },
})
await app.register(csrf, { sessionPlugin: '@fastify/session' })
await app.register(formbody)
await app.register(view, { engine: { eta: benchEta(views) }, root: views })

app.setErrorHandler((error: { statusCode?: number; message: string }, req, reply) => {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) req.log.error({ err: error }, 'request failed')
  reply.code(status).type('text/html; charset=utf-8').send(`<!DOCTYPE html><title>${status}</title><h1>${status}</h1>`)
})

app.get('/form', async (req, reply) => {
  const token = await reply.generateCsrf()
  return reply.type('text/html; charset=utf-8').view('form', { name: req.session.get('name') ?? 'stranger', csrf: csrfInput(token), lines: LINES })
})
app.post<{ Body: { name?: string } }>('/form', { preHandler: app.csrfProtection }, async (req, reply) => {
  const name = String(req.body.name ?? '')
  req.session.set('name', name)
  return reply.type('text/html; charset=utf-8').view('thanks', { name, lines: LINES })
})

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
announce(typeof address === 'object' && address ? address.port : 0)
