/**
 * The `api` preset's equivalent on Fastify 5: logging on (one pino line per
 * request with the same fields as Dovetail's request-log, a UUID request id
 * sent back as x-request-id), @fastify/helmet set to the same headers as
 * security-headers in the preset, @fastify/cors for the same origin, and an
 * error handler and a not-found handler answering Dovetail's JSON error shape.
 */
import cors from '@fastify/cors'
import helmet from '@fastify/helmet'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { announce } from '../bench-routes.js'
import { ORIGIN } from '../preset/api.js'
import { helmetAsDovetail, loggedFastify } from './fastify-logged.js'

const app = loggedFastify()

await app.register(helmet, helmetAsDovetail({ defaultSrc: ["'none'"], frameAncestors: ["'none'"] }))
await app.register(cors, { origin: [ORIGIN] })

const errorBody = (req: FastifyRequest, status: number, code: string, message: string) => ({
  error: { status, code, message, requestId: req.id },
})
app.setNotFoundHandler((req, reply: FastifyReply) => {
  reply.code(404).send(errorBody(req, 404, 'DOVETAIL_ERR_HTTP_NOT_FOUND', 'Not Found'))
})
app.setErrorHandler((error: { statusCode?: number; message: string }, req, reply) => {
  const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500
  if (status >= 500) req.log.error({ err: error }, 'request failed')
  reply.code(status).send(errorBody(req, status, 'DOVETAIL_ERR_HTTP', status >= 500 ? 'Internal Server Error' : error.message))
})

app.get('/json', async () => ({ message: 'Hello, World!' }))
app.post<{ Body: { name: string; qty: number } }>('/items', async (req, reply) => {
  reply.code(201)
  return { id: 1, name: req.body.name, qty: req.body.qty }
})

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
announce(typeof address === 'object' && address ? address.port : 0)
