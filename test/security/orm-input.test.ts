/**
 * Request input reaching the ORM as operators. In a MikroORM where clause an
 * object is an operator (`{ "$ne": null }` matches every row) and an array an
 * `$in`; a sort field is an identifier; `Number('abc')` is NaN, which the SQL
 * builder writes as a column name. The routes here are the documented ones
 * (docs/examples/orm/config.ts, the "Request input" section of docs/orm.md),
 * run on a real table on SQLite (libsql, the embedded default) and on
 * PostgreSQL. Each hostile request is answered 400 or 422, reaches no query,
 * leaks no row in the body and writes nothing.
 *
 * Tables are prefixed `orminput_` (a naming strategy over the example's own
 * entities), so suites sharing the PostgreSQL database never see them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UnderscoreNamingStrategy } from '@mikro-orm/core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type App, createApp, Orm } from 'dovetailjs'
import { readJson } from 'dovetailjs/components/middleware/body'
import { Em, MikroOrm, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { createTestClient, type TestClient } from 'dovetailjs/testing'
import config from '../../docs/examples/orm/config.js'
import { Book, Shelf } from '../../docs/examples/orm/entities.js'
import { serviceAvailable, services } from '../support/services.js'

/** The example's entities on tables of this file's own. */
class OrmInputTables extends UnderscoreNamingStrategy {
  override classToTableName(entityName: string): string {
    return `orminput_${super.classToTableName(entityName)}`
  }
}

const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-input-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The rows every case starts from; none of their text may appear in a refused answer. */
const seed = {
  fiction: { name: 'Fiction', books: [{ isbn: '978-0141439587', title: 'Emma' }, { isbn: '978-0141441146', title: 'Jane Eyre' }] },
  staff: { name: 'Staff only', books: [{ isbn: '000-0000000001', title: 'Restricted Minutes' }] },
}
const seededText = [...seed.fiction.books, ...seed.staff.books].flatMap((b) => [b.isbn, b.title])

const databases = [
  { name: 'SQLite (libsql)', url: `file:${join(dir, 'library.db')}`, available: true },
  { name: 'PostgreSQL', url: services.postgres.url, available: await serviceAvailable('postgres') },
]

for (const { name, url, available } of databases) describe.skipIf(!available)(`request input on ${name}`, () => {
  let app: App
  let client: TestClient
  let fiction: number
  let staff: number

  beforeAll(async () => {
    app = await createApp({
      ...config,
      environment: 'test',
      components: {
        ...config.components,
        orm: mikroOrm({ url, entities: [Shelf, Book], mikroOrm: { namingStrategy: OrmInputTables } }),
      },
      routes(r) {
        config.routes!(r)
        // The handler the issue describes: a JSON field straight into em.find. Only the baseline case uses it.
        r.post('/unchecked/books/search', async (ctx) => {
          const { title } = (await readJson(ctx)) as { title: string }
          return ctx.json({ books: (await ctx.resolve(Em).find(Book, { title })).map((b) => ({ isbn: b.isbn, title: b.title })) })
        })
      },
    })
    const orm = app.resolve(Orm)
    // Left over from an interrupted run, if any: only this file's tables.
    await orm.dropSchema()
    await orm.createSchema()
    client = createTestClient(app)
  })

  afterAll(async () => {
    if (!app) return
    await app.resolve(Orm).dropSchema()
    await app.close()
  })

  beforeEach(async () => {
    const em = app.resolve(MikroOrm).fork()
    await em.nativeDelete(Book, {})
    await em.nativeDelete(Shelf, {})
    const [fictionShelf, staffShelf] = [seed.fiction, seed.staff].map(({ name, books }) => {
      const shelf = em.create(Shelf, { name })
      for (const book of books) em.create(Book, { ...book, shelf })
      return shelf
    })
    await em.flush()
    fiction = fictionShelf!.id
    staff = staffShelf!.id
  })

  /** Rows in each table, to show a refused request wrote nothing. */
  const counts = async () => {
    const orm = app.resolve(Orm)
    const count = async (table: string) => Number(((await orm.execute(`select count(*) as n from ${table}`)) as Array<{ n: unknown }>)[0]!.n)
    return { shelves: await count('orminput_shelf'), books: await count('orminput_book') }
  }

  /** The answer was `status` with a JSON error, and carried no seeded row. */
  const expectRefused = async (response: Response, status: number, code?: string) => {
    const text = await response.text()
    expect(response.status, text).toBe(status)
    expect(JSON.parse(text)).toMatchObject({ error: { status, ...(code ? { code } : {}) } })
    for (const seeded of seededText) expect(text).not.toContain(seeded)
  }

  it('answers the documented routes for well-formed input, so a refusal below is the input and not the route', async () => {
    expect(await (await client.post('/books/search', { json: { title: 'Emma' } })).json()).toEqual({ books: [seed.fiction.books[0]] })
    expect(await (await client.post('/books/search', { json: { title: 'Jane Eyre', shelf: staff } })).json()).toEqual({ books: [] })
    expect(await (await client.get(`/shelves/${fiction}/books?sort=-title&limit=1`)).json()).toEqual({ books: [seed.fiction.books[1]] })
    expect(await (await client.get(`/shelves/${fiction}/books?sort=isbn&offset=1`)).json()).toEqual({ books: [seed.fiction.books[1]] })
    expect(await (await client.get(`/shelves/${staff}`)).json()).toEqual({ name: 'Staff only', books: seed.staff.books })
  })

  it('baseline: the same hostile bodies read every row through a handler that does not check them', async () => {
    // The danger is real on this MikroORM: without the checks, each of these lists all three books.
    for (const title of [{ $ne: null }, { $gt: '' }, { $like: '%' }, seededText.filter((_, i) => i % 2 === 1)]) {
      const { books } = (await (await client.post('/unchecked/books/search', { json: { title } })).json()) as { books: unknown[] }
      expect(books, JSON.stringify(title)).toHaveLength(3)
    }
  })

  it('refuses operator objects, arrays and nested objects in a JSON body with 422, reading no row', async () => {
    const before = await counts()
    const bodies: unknown[] = [
      { title: { $ne: null } },
      { title: { $gt: '' } },
      { title: { $like: '%' } },
      { title: { $in: ['Emma', 'Restricted Minutes'] } },
      { title: { $regex: '.*' } },
      { title: ['Emma', 'Restricted Minutes'] },
      { title: { nested: { $ne: null } } },
      { title: 'Emma', shelf: { $ne: null } },
      { title: 'Emma', shelf: [fiction, staff] },
      { title: 'Emma', shelf: String(staff) },
      { title: 'Emma', $or: [{ title: 'Emma' }, { title: { $ne: null } }] },
      { $and: [{ title: { $ne: null } }] },
      { title: 'Emma', secret: { $ne: null } },
      { title: null },
      { title: 1 },
      { title: true },
      { title: 'x'.repeat(201) },
      { title: '' },
      {},
      [{ title: 'Emma' }],
      'Emma',
      null,
    ]
    for (const json of bodies) await expectRefused(await client.post('/books/search', { json }), 422)
    expect(await counts()).toEqual(before)
  })

  it('refuses operator objects, arrays and unknown keys when creating, and writes nothing', async () => {
    const before = await counts()
    const shelves: unknown[] = [{ name: { $ne: null } }, { name: ['Fiction'] }, { name: 'x'.repeat(101) }, { name: 'New', id: 1 }]
    for (const json of shelves) await expectRefused(await client.post('/shelves', { json }), 422)
    const books: unknown[] = [
      { isbn: { $gt: '' }, title: 'Forged' },
      { isbn: '978-0000000000', title: { $ne: null } },
      { isbn: ['978-0000000000'], title: 'Forged' },
      // Mass assignment: another shelf, or a primary key, through the body.
      { isbn: '978-0000000000', title: 'Forged', shelf: staff },
      { isbn: '978-0000000000', title: 'Forged', id: 1 },
      { isbn: '9'.repeat(21), title: 'Forged' },
    ]
    for (const json of books) await expectRefused(await client.post(`/shelves/${fiction}/books`, { json }), 422)
    await expectRefused(await client.post('/shelves/abc/books', { json: { isbn: '978-0000000000', title: 'Forged' } }), 400)
    await expectRefused(await client.post(`/shelves/${fiction}/books`, { body: '{"isbn": ', headers: { 'content-type': 'application/json' } }), 400)
    expect(await counts()).toEqual(before)
  })

  it('refuses ids that are not row ids in the path with 400, on every route that takes one', async () => {
    const ids = ['abc', '1.5', '-1', '0', 'NaN', 'Infinity', '99999999999', '1e400', '%7B%22%24ne%22%3Anull%7D', `${fiction}%20OR%201%3D1`]
    for (const id of ids) {
      await expectRefused(await client.get(`/shelves/${id}`), 400)
      await expectRefused(await client.get(`/shelves/${id}/books`), 400)
    }
  })

  it('refuses sort fields the route does not allow with 400 DOVETAIL_ERR_ORM_INPUT', async () => {
    // id is a column, but not one this route lets clients sort by; shelf_id and the SQL are not fields at all.
    for (const sort of ['secret', 'id', 'shelf', 'shelf.name', 'shelf_id', 'title;drop table orminput_book', '-title,-title', 'title,,isbn', '$ne', 'title desc']) {
      await expectRefused(await client.get(`/shelves/${fiction}/books?sort=${encodeURIComponent(sort)}`), 400, 'DOVETAIL_ERR_ORM_INPUT')
    }
    expect(await counts()).toEqual({ shelves: 2, books: 3 })
  })

  it('refuses limits and offsets out of bounds with 400, instead of every row', async () => {
    // limit=-1 is no limit on SQLite, and the SQL builder drops a limit that is not an integer: both would list every row.
    const pages = ['limit=-1', 'limit=0', 'limit=101', 'limit=1000000', 'limit=abc', 'limit=1.5', 'limit=1e300', 'offset=-1', 'offset=10001', 'offset=99999999999999999999', 'offset=abc']
    for (const page of pages) await expectRefused(await client.get(`/shelves/${fiction}/books?${page}`), 400)
  })

  it('refuses query-string forms of operators and unknown parameters with 400', async () => {
    // ctx.query is flat, so `title[$ne]` is a key of its own; a strict schema refuses it rather than dropping it.
    for (const query of ['title[$ne]=x', 'sort[$ne]=x', 'limit[$gt]=0', 'shelf=2', '$or=1', '__proto__[sort]=secret']) {
      await expectRefused(await client.get(`/shelves/${fiction}/books?${query}`), 400)
    }
  })
})
