import { Db, Orm, type Token } from '../../../core/index.js'
import type { KyselyHandle } from './kysely-handle.js'
import type { KyselyWork } from './unit-of-work.js'

/**
 * This request's Kysely: the very same registration as the core's `Db`
 * token, typed as a {@link KyselyWork} (a `Kysely` instance with the unit of
 * work's six methods). For typed tables, name the database's type with
 * {@link kdb}.
 *
 * @example
 * r.get('/pages/:slug', async (ctx) => {
 *   const page = await ctx.resolve(Kdb).selectFrom('page').selectAll().where('slug', '=', ctx.params.slug!).executeTakeFirst()
 *   return page ? ctx.json(page) : ctx.notFound()
 * })
 */
export const Kdb = Db as unknown as Token<KyselyWork<any>>

/**
 * `Kdb` typed with the app's database interface (Kysely's `DB` type
 * parameter): the same token, so every call returns the same registration.
 *
 * @example
 * interface Database { page: { id: Generated<number>; slug: string; title: string } }
 * const Pages = kdb<Database>()
 * const rows = await ctx.resolve(Pages).selectFrom('page').select(['slug', 'title']).execute()
 */
export const kdb = <DB>(): Token<KyselyWork<DB>> => Db as unknown as Token<KyselyWork<DB>>

/**
 * The app-wide Kysely handle: the core's `Orm` token, typed with what this
 * component adds (`native` as `Kysely`, `migrationStatus`, `migrateDown`).
 *
 * @example
 * const app = await createApp(config)
 * await app.resolve(KyselyOrm).migrate()
 */
export const KyselyOrm = Orm as unknown as Token<KyselyHandle>
