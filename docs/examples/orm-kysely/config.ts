import type { Generated } from 'kysely'
import { defineConfig } from 'dovetailjs'
import { body } from 'dovetailjs/components/middleware/body'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { z } from 'zod'
import { migrations } from './migrations/index.js'

/** The database as Kysely types it: one table. */
export interface Library {
  kybook: { id: Generated<number>; isbn: string; title: string }
}

/** This request's Kysely, typed with the library's tables. */
const Books = kdb<Library>()

/** What a client may send: two strings, as long as their columns at most, and nothing else. */
const NewBook = z.strictObject({ isbn: z.string().min(1).max(20), title: z.string().min(1).max(200) })

export default defineConfig({
  environment: 'test',
  components: {
    // DATABASE_URL decides the database (SQLite file, postgresql://, mysql://); migrations are imported here.
    orm: kysely({ migrations: { list: migrations } }),
    // POST, PUT, PATCH and DELETE run in a transaction, opened on their first query; a duplicate isbn answers 409.
    middleware: [body(), transaction()],
  },
  routes(r) {
    r.get('/books', async (ctx) => ctx.json(await ctx.resolve(Books).selectFrom('kybook').select(['isbn', 'title']).orderBy('title').execute()))
    r.post('/books', { schemas: { body: NewBook } }, async (ctx) => {
      const { isbn, title } = ctx.input.body
      await ctx.resolve(Books).insertInto('kybook').values({ isbn, title }).execute()
      return ctx.json({ isbn, title }, { status: 201 })
    })
  },
})
