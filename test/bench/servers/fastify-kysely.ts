/** Fastify 5 with Kysely and eta through @fastify/view; logger off. */
import view from '@fastify/view'
import Fastify from 'fastify'
import { announce } from '../bench-routes.js'
import { dbTarget, HTML_TYPE, JSON_TYPE, queryCount, worldJson, worldsJson } from '../db/world.js'
import { benchEta } from './db-eta.js'
import { kyselyDb, kyselyFortunes, kyselyQueries, kyselyUpdates, openKysely } from './db-kysely.js'

const target = dbTarget()
const db = openKysely(target)
const app = Fastify({ logger: false })
await app.register(view, { engine: { eta: benchEta(target.views) }, root: target.views })

type Q = { Querystring: { q?: string } }
app.get('/db', async (_req, reply) => reply.type(JSON_TYPE).send(worldJson(await kyselyDb(db))))
app.get<Q>('/queries', async (req, reply) => reply.type(JSON_TYPE).send(worldsJson(await kyselyQueries(db, queryCount(req.query.q)))))
app.get('/fortunes', async (_req, reply) => reply.type(HTML_TYPE).view('fortunes', { fortunes: await kyselyFortunes(db) }))
app.get<Q>('/updates', async (req, reply) =>
  reply.type(JSON_TYPE).send(worldsJson(await kyselyUpdates(db, queryCount(req.query.q), target.dialect))),
)

await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
announce(typeof address === 'object' && address ? address.port : 0)
