/**
 * Dovetail on the minimal preset with the orm and template components: the DB
 * routes on MikroORM (`mikro-orm`, the default) or, with the Kysely component,
 * `kysely` as the first argument.
 */
import { createApp, defineConfig } from 'dovetailjs'
import { eta } from 'dovetailjs/components/template/eta'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { announce } from '../bench-routes.js'
import { dbTarget, queryCount } from '../db/world.js'
import { FortuneEntity, WorldEntity } from './db-mikro-entities.js'
import { mikroDb, mikroFortunes, mikroQueries, mikroUpdates } from './db-mikro-handlers.js'

const target = dbTarget()
if ((process.argv[2] ?? 'mikro-orm') !== 'mikro-orm') throw new Error(`servers/dovetail-db.ts: unknown ORM '${process.argv[2]}'.`)
const plain = (w: { id: number; randomNumber: number }) => ({ id: w.id, randomNumber: w.randomNumber })

const app = await createApp(
  defineConfig({
    preset: 'minimal',
    environment: 'production',
    components: {
      orm: mikroOrm({ url: target.url, entities: [WorldEntity, FortuneEntity], pool: { min: 2, max: target.pool } }),
      template: eta({ views: target.views }),
    },
    routes(r) {
      r.get('/db', async (ctx) => ctx.json(plain(await mikroDb(ctx.resolve(Em)))))
      r.get('/queries', async (ctx) => ctx.json((await mikroQueries(ctx.resolve(Em), queryCount(ctx.query.q))).map(plain)))
      r.get('/fortunes', async (ctx) => ctx.render('fortunes', { fortunes: await mikroFortunes(ctx.resolve(Em)) }))
      r.get('/updates', async (ctx) => ctx.json((await mikroUpdates(ctx.resolve(Em), queryCount(ctx.query.q))).map(plain)))
    },
  }),
)

const server = await app.listen({ port: 0, host: '127.0.0.1' })
announce(server.port)
