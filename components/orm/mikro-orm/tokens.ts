import type { SqlEntityManager } from '@mikro-orm/knex'
import { Db, Orm, type Token } from '../../../core/index.js'
import type { MikroOrmHandle } from './mikro-orm-handle.js'

/**
 * This request's MikroORM `EntityManager`: the very same registration as the
 * core's `Db` token, typed with MikroORM's full API (find, create, persist,
 * query builders, `execute`).
 *
 * @example
 * r.get('/pages/:slug', async (ctx) => {
 *   const page = await ctx.resolve(Em).findOne(Page, { slug: ctx.params.slug })
 *   return page ? ctx.json(page) : ctx.notFound()
 * })
 */
export const Em = Db as unknown as Token<SqlEntityManager>

/**
 * The app-wide MikroORM handle: the core's `Orm` token, typed with what this
 * component adds (`native`, `createMigration`, `migrationStatus`, `migrateDown`).
 *
 * @example
 * const app = await createApp(config)
 * await app.resolve(MikroOrm).migrate()
 */
export const MikroOrm = Orm as unknown as Token<MikroOrmHandle>
