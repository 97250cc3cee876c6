import type { Generated } from 'kysely'
import { defineConfig } from 'dovetailjs'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { migrations } from './migrations/index.js'

/** The database as Kysely types it: one table. */
export interface Library {
  kybook: { id: Generated<number>; isbn: string; title: string }
}

/** This request's Kysely, typed with the library's tables. */
const Books = kdb<Library>()

export default defineConfig({
  environment: 'test',
  components: {
    // DATABASE_URL decides the database (SQLite file, postgresql://, mysql://); migrations are imported here.
    orm: kysely({ migrations: { list: migrations } }),
    // POST, PUT, PATCH and DELETE run in a transaction, opened on their first query; a duplicate isbn answers 409.
    middleware: [transaction()],
  },
  routes(r) {
    r.get('/books', async (ctx) => ctx.json(await ctx.resolve(Books).selectFrom('kybook').select(['isbn', 'title']).orderBy('title').execute()))
    r.post('/books', async (ctx) => {
      const { isbn, title } = (await ctx.request.json()) as { isbn: string; title: string }
      await ctx.resolve(Books).insertInto('kybook').values({ isbn, title }).execute()
      return ctx.json({ isbn, title }, { status: 201 })
    })
  },
})
