import { fileURLToPath } from 'node:url'
import { defineConfig } from 'dovetailjs'
import { body, readJson } from 'dovetailjs/components/middleware/body'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { Em, mikroOrm, orderByFrom } from 'dovetailjs/components/orm/mikro-orm'
import { Book, Shelf } from './entities.js'
import { BookPage, BookSearch, NewBook, NewShelf, ShelfPath, valid } from './input.js'
import { migrations } from './migrations/index.js'

/** What the routes answer for a book: never the entity itself, so a new column is not published by accident. */
const bookView = (b: Book) => ({ isbn: b.isbn, title: b.title })

/**
 * A small library API on the ORM. The database is DATABASE_URL's, else the
 * SQLite file ./data/app.db. Its schema comes from the migrations listed in
 * migrations/index.ts:
 *
 *   dovetail db migrate --config docs/examples/orm/config.ts
 *
 * Every value a route takes from the request is checked (./input.ts) before it
 * reaches a query: docs/orm.md, "Request input".
 */
export default defineConfig({
  components: {
    orm: mikroOrm({
      entities: [Shelf, Book],
      // The migrations to run, imported like the rest of the app; path is only where migration:create
      // writes new ones (the default, './migrations', is from the working directory: the repository's root here).
      migrations: { list: migrations, path: fileURLToPath(new URL('./migrations', import.meta.url)) },
    }),
    // JSON bodies, malformed ones answered 400; then POST, PUT, PATCH and DELETE each run in a
    // transaction: committed on a 2xx or 3xx, rolled back otherwise.
    middleware: { append: [body(), transaction()] },
  },
  routes(r) {
    r.post('/shelves', async (ctx) => {
      const { name } = valid(NewShelf, await readJson(ctx), 422)
      const shelf = ctx.resolve(Em).create(Shelf, { name })
      // Flush now for the generated id; the middleware commits when the response is a success.
      await ctx.resolve(Em).flush()
      return ctx.json({ id: shelf.id, name: shelf.name }, { status: 201 })
    })

    r.post('/shelves/:id/books', async (ctx) => {
      const { id } = valid(ShelfPath, ctx.params, 400)
      const { isbn, title } = valid(NewBook, await readJson(ctx), 422)
      const em = ctx.resolve(Em)
      const shelf = await em.findOne(Shelf, { id })
      if (!shelf) return ctx.notFound('No such shelf')
      em.create(Book, { isbn, title, shelf })
      // No flush: the transaction middleware flushes and commits; a duplicate ISBN answers 409 there.
      return ctx.json({ isbn, title }, { status: 201 })
    })

    r.get('/shelves/:id', async (ctx) => {
      const { id } = valid(ShelfPath, ctx.params, 400)
      const shelf = await ctx.resolve(Em).findOne(Shelf, { id }, { populate: ['books'], orderBy: { books: { title: 'asc' } } })
      if (!shelf) return ctx.notFound('No such shelf')
      return ctx.json({ name: shelf.name, books: shelf.books.getItems().map(bookView) })
    })

    r.get('/shelves/:id/books', async (ctx) => {
      const { id } = valid(ShelfPath, ctx.params, 400)
      const { sort, limit, offset } = valid(BookPage, ctx.query, 400)
      // Clients sort by title or ISBN only; `?sort=-title` is { title: 'desc' }, `?sort=secret` a 400.
      const orderBy = { ...orderByFrom(sort, ['title', 'isbn']), id: 'asc' as const }
      const books = await ctx.resolve(Em).find(Book, { shelf: id }, { orderBy, limit, offset })
      return ctx.json({ books: books.map(bookView) })
    })

    r.post('/books/search', async (ctx) => {
      const { title, shelf } = valid(BookSearch, await readJson(ctx), 422)
      const books = await ctx.resolve(Em).find(Book, shelf === undefined ? { title } : { title, shelf }, { orderBy: { id: 'asc' } })
      return ctx.json({ books: books.map(bookView) })
    })
  },
})
