/**
 * Dovetail on the minimal preset with the orm and template components: the DB
 * routes on MikroORM (`mikro-orm`, the default) or, with the Kysely component,
 * `kysely` as the first argument.
 */
import { createApp, defineConfig, type DovetailConfig } from 'dovetailjs'
import { kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { eta } from 'dovetailjs/components/template/eta'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { announce } from '../bench-routes.js'
import { dbTarget, queryCount } from '../db/world.js'
import { FortuneEntity, WorldEntity } from './db-mikro-entities.js'
import { type BenchTables, kyselyDb, kyselyFortunes, kyselyQueries, kyselyUpdates } from './db-kysely.js'
import { mikroDb, mikroFortunes, mikroQueries, mikroUpdates } from './db-mikro-handlers.js'

const target = dbTarget()
const ormName = process.argv[2] ?? 'mikro-orm'
if (ormName !== 'mikro-orm' && ormName !== 'kysely') throw new Error(`servers/dovetail-db.ts: unknown ORM '${ormName}'; use mikro-orm or kysely.`)
const plain = (w: { id: number; randomNumber: number }) => ({ id: w.id, randomNumber: w.randomNumber })
const Tables = kdb<BenchTables>()
// SQLite keeps MikroORM's one connection (more would make writers wait on each other's locks).
const mikroPool = target.dialect === 'postgresql' ? { pool: { min: 2, max: target.pool } } : {}

// The same four routes on each component; the data code is shared with the node:http and Fastify servers.
const mikroRoutes: DovetailConfig['routes'] = (r) => {
  r.get('/db', async (ctx) => ctx.json(plain(await mikroDb(ctx.resolve(Em)))))
  r.get('/queries', async (ctx) => ctx.json((await mikroQueries(ctx.resolve(Em), queryCount(ctx.query.q))).map(plain)))
  r.get('/fortunes', async (ctx) => ctx.render('fortunes', { fortunes: await mikroFortunes(ctx.resolve(Em)) }))
  r.get('/updates', async (ctx) => ctx.json((await mikroUpdates(ctx.resolve(Em), queryCount(ctx.query.q))).map(plain)))
}
const kyselyRoutes: DovetailConfig['routes'] = (r) => {
  r.get('/db', async (ctx) => ctx.json(plain(await kyselyDb(ctx.resolve(Tables)))))
  r.get('/queries', async (ctx) => ctx.json((await kyselyQueries(ctx.resolve(Tables), queryCount(ctx.query.q))).map(plain)))
  r.get('/fortunes', async (ctx) => ctx.render('fortunes', { fortunes: await kyselyFortunes(ctx.resolve(Tables)) }))
  r.get('/updates', async (ctx) => ctx.json((await kyselyUpdates(ctx.resolve(Tables), queryCount(ctx.query.q), target.dialect)).map(plain)))
}

const app = await createApp(
  defineConfig({
    preset: 'minimal',
    environment: 'production',
    components: {
      orm:
        ormName === 'kysely'
          ? kysely({ url: target.url, poolSize: target.pool })
          : mikroOrm({ url: target.url, entities: [WorldEntity, FortuneEntity], ...mikroPool }),
      template: eta({ views: target.views }),
    },
    routes: ormName === 'kysely' ? kyselyRoutes : mikroRoutes,
  }),
)

const server = await app.listen({ port: 0, host: '127.0.0.1' })
announce(server.port)
