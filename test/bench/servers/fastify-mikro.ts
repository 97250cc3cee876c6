/** Fastify 5 with MikroORM (a fork per request) and eta through @fastify/view; logger off, as in the core group. */
import view from '@fastify/view'
import Fastify from 'fastify'
import { announce } from '../bench-routes.js'
import { dbTarget, HTML_TYPE, JSON_TYPE, queryCount, worldJson, worldsJson } from '../db/world.js'
import { benchEta } from './db-eta.js'
import { openMikroOrm } from './db-mikro-init.js'
import { mikroDb, mikroFortunes, mikroQueries, mikroUpdates } from './db-mikro-handlers.js'

const target = dbTarget()
const orm = await openMikroOrm(target)
const app = Fastify({ logger: false })
await app.register(view, { engine: { eta: benchEta(target.views) }, root: target.views })

type Q = { Querystring: { q?: string } }
app.get('/db', async (_req, reply) => reply.type(JSON_TYPE).send(worldJson(await mikroDb(orm.em.fork()))))
app.get<Q>('/queries', async (req, reply) => reply.type(JSON_TYPE).send(worldsJson(await mikroQueries(orm.em.fork(), queryCount(req.query.q)))))
app.get('/fortunes', async (_req, reply) => reply.type(HTML_TYPE).view('fortunes', { fortunes: await mikroFortunes(orm.em.fork()) }))
app.get<Q>('/updates', async (req, reply) => reply.type(JSON_TYPE).send(worldsJson(await mikroUpdates(orm.em.fork(), queryCount(req.query.q)))))

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
announce(typeof address === 'object' && address ? address.port : 0)
