import { fileURLToPath } from 'node:url'
import { defineConfig } from 'dovetailjs'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { Book, Shelf } from './entities.js'
import { migrations } from './migrations/index.js'

/**
 * A small library API on the ORM. The database is DATABASE_URL's, else the
 * SQLite file ./data/app.db. Its schema comes from the migrations listed in
 * migrations/index.ts:
 *
 *   dovetail db migrate --config docs/examples/orm/config.ts
 */
export default defineConfig({
  components: {
    orm: mikroOrm({
      entities: [Shelf, Book],
      // The migrations to run, imported like the rest of the app; path is only where migration:create
      // writes new ones (the default, './migrations', is from the working directory: the repository's root here).
      migrations: { list: migrations, path: fileURLToPath(new URL('./migrations', import.meta.url)) },
    }),
    // POST, PUT, PATCH and DELETE each run in a transaction: committed on a 2xx or 3xx, rolled back otherwise.
    middleware: { append: [transaction()] },
  },
  routes(r) {
    r.post('/shelves', async (ctx) => {
      const { name } = (await ctx.request.json()) as { name: string }
      const shelf = ctx.resolve(Em).create(Shelf, { name })
      // Flush now for the generated id; the middleware commits when the response is a success.
      await ctx.resolve(Em).flush()
      return ctx.json({ id: shelf.id, name: shelf.name }, { status: 201 })
    })

    r.post('/shelves/:id/books', async (ctx) => {
      const em = ctx.resolve(Em)
      const shelf = await em.findOne(Shelf, { id: Number(ctx.params.id) })
      if (!shelf) return ctx.notFound('No such shelf')
      const { isbn, title } = (await ctx.request.json()) as { isbn: string; title: string }
      em.create(Book, { isbn, title, shelf })
      // No flush: the transaction middleware flushes and commits; a duplicate ISBN answers 409 there.
      return ctx.json({ isbn, title }, { status: 201 })
    })

    r.get('/shelves/:id', async (ctx) => {
      const shelf = await ctx.resolve(Em).findOne(Shelf, { id: Number(ctx.params.id) }, { populate: ['books'], orderBy: { books: { title: 'asc' } } })
      if (!shelf) return ctx.notFound('No such shelf')
      return ctx.json({ name: shelf.name, books: shelf.books.getItems().map((b) => ({ isbn: b.isbn, title: b.title })) })
    })
  },
})
