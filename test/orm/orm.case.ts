import { defineEntity } from '@mikro-orm/core'
import { Migration } from '@mikro-orm/migrations'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Db, defineConfig, DovetailError, Logger, Orm } from 'dovetailjs'
import { transaction } from 'dovetailjs/components/middleware/transaction'
import { Em, mikroOrm, MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { createTestClient, type TestClient } from 'dovetailjs/testing'
import { recordingLogger } from '../support/recording-logger.js'

/**
 * One ORM suite, run by sqlite.test.ts, postgres.test.ts and mariadb.test.ts
 * against a real database each, through a real app on both containers.
 * Tables are prefixed `ormcase_` so other suites sharing the database (the
 * wiki, the SQL session store) never meet them.
 */
export interface OrmCaseOptions {
  /** Shown in the suite's name. */
  name: string
  /** Connection URL (or SQLite file path), fixed before the suite runs. */
  url: string
}

export const Page = defineEntity({
  name: 'OrmCasePage',
  tableName: 'ormcase_page',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    slug: p.string().length(100).unique(),
    title: p.string().length(200),
    revisions: () => p.oneToMany(Revision).mappedBy('page').orphanRemoval(),
  }),
})

export const Revision = defineEntity({
  name: 'OrmCaseRevision',
  tableName: 'ormcase_revision',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    number: p.integer(),
    body: p.text(),
    page: () => p.manyToOne(Page),
  }),
})

class CreateNotes extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table ormcase_note (id integer not null primary key, body varchar(200) not null)')
  }

  override async down(): Promise<void> {
    this.addSql('drop table ormcase_note')
  }
}

interface Barrier {
  arrived: Promise<void>
  arrive(): void
  gate: Promise<void>
  release(): void
}

const barrier = (): Barrier => {
  const b = {} as Barrier
  b.arrived = new Promise((resolve) => (b.arrive = resolve))
  b.gate = new Promise((resolve) => (b.release = resolve))
  return b
}

export function runOrmCase({ name, url }: OrmCaseOptions): void {
  for (const container of ['awilix', 'inversify'] as const) {
    describe(`orm/mikro-orm on ${name}, ${container} container`, () => {
      let app: App
      let client: TestClient
      let hold = barrier()
      const held: unknown[] = []
      const logger = recordingLogger()

      beforeAll(async () => {
        app = await createApp(
          defineConfig({
            environment: 'test',
            components: {
              container,
              orm: mikroOrm({ url, entities: [Page, Revision], migrations: { tableName: 'ormcase_migrations', list: [{ name: 'CreateNotes', class: CreateNotes }] } }),
              // PUT and GET stay outside transactions: the suite checks conflicts and scope disposal there too.
              middleware: [transaction({ methods: ['POST', 'DELETE'] })],
            },
            register(c) {
              c.value(Logger, logger)
            },
            routes(r) {
              r.post('/pages', async (ctx) => {
                const { slug, title, body } = (await ctx.request.json()) as { slug: string; title: string; body: string }
                const em = ctx.resolve(Em)
                const page = em.create(Page, { slug, title })
                em.create(Revision, { page, number: 1, body })
                // No flush: the transaction middleware flushes and commits on a 2xx.
                return ctx.json({ slug }, { status: 201 })
              })
              r.get('/pages/:slug', async (ctx) => {
                const page = await ctx.resolve(Em).findOne(Page, { slug: ctx.params.slug! }, { populate: ['revisions'] })
                if (!page) return ctx.notFound()
                const revisions = page.revisions.getItems().sort((a, b) => a.number - b.number).map((r) => r.body)
                return ctx.json({ slug: page.slug, title: page.title, revisions })
              })
              r.post('/pages/:slug/revisions', async (ctx) => {
                const em = ctx.resolve(Em)
                const page = await em.findOne(Page, { slug: ctx.params.slug! }, { populate: ['revisions'] })
                if (!page) return ctx.notFound()
                em.create(Revision, { page, number: page.revisions.length + 1, body: await ctx.request.text() })
                return ctx.text('added', { status: 201 })
              })
              r.put('/pages/:slug/slug', async (ctx) => {
                // Not in a transaction (PUT is not listed): the handler flushes itself.
                const em = ctx.resolve(Em)
                const page = await em.findOne(Page, { slug: ctx.params.slug! })
                if (!page) return ctx.notFound()
                page.slug = await ctx.request.text()
                await em.flush()
                return ctx.text('renamed')
              })
              r.delete('/pages/:slug', async (ctx) => {
                const em = ctx.resolve(Em)
                const page = await em.findOne(Page, { slug: ctx.params.slug! }, { populate: ['revisions'] })
                if (!page) return ctx.notFound()
                em.remove(page)
                return new Response(null, { status: 204 })
              })
              r.post('/fail', async (ctx) => {
                const em = ctx.resolve(Em)
                em.create(Page, { slug: 'written-then-thrown', title: 'x' })
                await em.flush()
                throw new Error('the handler failed after writing')
              })
              r.post('/reject', async (ctx) => {
                const em = ctx.resolve(Em)
                em.create(Page, { slug: 'written-then-rejected', title: 'x' })
                await em.flush()
                return ctx.json({ error: 'not acceptable after all' }, { status: 422 })
              })
              r.post('/raw/:slug', async (ctx) => {
                // Raw SQL in the request's transaction: kept or dropped with it (and no wait for SQLite's one connection).
                await ctx.resolve(Orm).execute('insert into ormcase_page (slug, title) values (?, ?)', [ctx.params.slug, 'raw'], ctx.resolve(Db))
                return ctx.text('inserted', { status: Number(ctx.query.status ?? 201) })
              })
              r.put('/forgotten', async (ctx) => {
                // Begins and never commits: the end of the request must roll it back.
                const em = ctx.resolve(Db)
                await em.begin()
                ctx.resolve(Em).create(Page, { slug: 'never-committed', title: 'x' })
                await em.flush()
                return ctx.text('forgot to commit')
              })
              r.get('/hold/:slug', async (ctx) => {
                const page = await ctx.resolve(Em).findOne(Page, { slug: ctx.params.slug! })
                if (!page) return ctx.notFound()
                page.title = 'changed in memory, never flushed'
                held.push(page)
                hold.arrive()
                await hold.gate
                return ctx.json({ title: page.title })
              })
              r.get('/peek/:slug', async (ctx) => {
                const page = await ctx.resolve(Em).findOne(Page, { slug: ctx.params.slug! })
                held.push(page)
                return ctx.json({ title: page?.title })
              })
            },
          }),
        )
        client = createTestClient(app)
        const orm = app.resolve(Orm)
        for (const table of ['ormcase_note', 'ormcase_migrations', 'ormcase_foreign']) await orm.execute(`drop table if exists ${table}`)
        await orm.dropSchema()
        await orm.createSchema()
      })

      afterAll(async () => {
        await app?.close()
      })

      const createPage = (slug: string, title = `Title of ${slug}`, body = 'first') => client.post('/pages', { json: { slug, title, body } })

      const revisionRows = async () => Number((await app.resolve(Orm).execute<{ n: number | string }>('select count(*) as n from ormcase_revision'))[0]!.n)

      it('creates, reads, updates and deletes through requests', async () => {
        // Other cases' pages and revisions may be there already: counted before, to see this page's go.
        const before = await revisionRows()
        expect((await createPage('home', 'Home')).status).toBe(201)
        const read = await client.get('/pages/home')
        expect(read.status).toBe(200)
        expect(await read.json()).toEqual({ slug: 'home', title: 'Home', revisions: ['first'] })

        expect((await client.put('/pages/home/slug', { body: 'start' })).status).toBe(200)
        expect((await client.get('/pages/home')).status).toBe(404)
        expect((await client.get('/pages/start')).status).toBe(200)

        expect((await client.delete('/pages/start')).status).toBe(204)
        expect((await client.get('/pages/start')).status).toBe(404)
        // No orphans: the page's revision went with it.
        expect(await revisionRows()).toBe(before)
      })

      it('keeps a one-to-many relation (a page and its revisions)', async () => {
        await createPage('history', 'History', 'v1')
        expect((await client.post('/pages/history/revisions', { body: 'v2' })).status).toBe(201)
        expect((await client.post('/pages/history/revisions', { body: 'v3' })).status).toBe(201)
        expect(await (await client.get('/pages/history')).json()).toMatchObject({ revisions: ['v1', 'v2', 'v3'] })
      })

      it('answers a unique-constraint violation with 409, in a transaction or not', async () => {
        await createPage('taken', 'Original')
        const duplicate = await createPage('taken', 'Impostor', 'should not be stored')
        expect(duplicate.status).toBe(409)
        const body = (await duplicate.json()) as { error: { code: string; message: string } }
        expect(body.error.code).toBe('DOVETAIL_ERR_HTTP_CONFLICT')
        expect(body.error.message).not.toMatch(/ormcase|insert|constraint/i)
        expect(await (await client.get('/pages/taken')).json()).toMatchObject({ title: 'Original', revisions: ['first'] })

        await createPage('other')
        const rename = await client.put('/pages/other/slug', { body: 'taken' })
        expect(rename.status).toBe(409)
        expect(((await rename.json()) as { error: { code: string } }).error.code).toBe('DOVETAIL_ERR_HTTP_CONFLICT')
        expect((await client.get('/pages/other')).status).toBe(200)
      })

      it('rolls back when the handler throws, or answers 400 or above, after it flushed or ran raw SQL', async () => {
        expect((await client.post('/fail')).status).toBe(500)
        expect(logger.errors.some(([fields]) => (fields as { err?: Error }).err?.message === 'the handler failed after writing')).toBe(true)
        expect((await client.get('/pages/written-then-thrown')).status).toBe(404)
        expect((await client.post('/reject')).status).toBe(422)
        expect((await client.get('/pages/written-then-rejected')).status).toBe(404)
        expect((await client.post('/raw/raw-rejected?status=400')).status).toBe(400)
        expect((await client.get('/pages/raw-rejected')).status).toBe(404)
        expect((await client.post('/raw/raw-kept')).status).toBe(201)
        expect(await (await client.get('/pages/raw-kept')).json()).toMatchObject({ title: 'raw', revisions: [] })
      })

      it('rolls back a transaction the handler left open, at the end of the request', async () => {
        expect((await client.put('/forgotten')).status).toBe(200)
        expect((await client.get('/pages/never-committed')).status).toBe(404)
        // The connection came back clean: later writes commit.
        expect((await createPage('after-forgotten')).status).toBe(201)
        expect((await client.get('/pages/after-forgotten')).status).toBe(200)
      })

      it('gives two concurrent requests separate identity maps', async () => {
        await createPage('shared', 'Stored title')
        hold = barrier()
        held.length = 0
        const first = client.get('/hold/shared')
        await hold.arrived
        // The first request holds a modified, unflushed page; the second must not see it.
        const second = await client.get('/peek/shared')
        expect(await second.json()).toEqual({ title: 'Stored title' })
        hold.release()
        expect(await (await first).json()).toEqual({ title: 'changed in memory, never flushed' })
        // Compared by identity only: printing an entity would walk its lazy collections.
        expect(held.length).toBe(2)
        expect(held[0] === held[1]).toBe(false)
        expect(await (await client.get('/pages/shared')).json()).toMatchObject({ title: 'Stored title' })
      })

      it('updates the schema from code, leaving tables the entities do not name', async () => {
        const orm = app.resolve(Orm)
        await orm.execute('create table ormcase_foreign (id integer not null primary key)')
        await orm.execute('insert into ormcase_foreign (id) values (?)', [7])
        await orm.dropSchema()
        expect((await client.get('/pages/home')).status).toBe(500)
        await orm.updateSchema()
        await orm.updateSchema()
        expect((await createPage('rebuilt')).status).toBe(201)
        expect(await (await client.get('/pages/rebuilt')).json()).toMatchObject({ revisions: ['first'] })
        expect(await orm.execute('select id from ormcase_foreign')).toEqual([{ id: 7 }])
      })

      it('runs migrations from code, once', async () => {
        const orm = app.resolve(MikroOrm)
        expect(await orm.migrationStatus()).toEqual({ executed: [], pending: ['CreateNotes'] })
        expect(await orm.migrate()).toEqual(['CreateNotes'])
        expect(await orm.migrate()).toEqual([])
        await orm.execute('insert into ormcase_note (id, body) values (?, ?)', [1, 'migrated'])
        expect(await orm.execute('select body from ormcase_note')).toEqual([{ body: 'migrated' }])
        expect(await orm.migrationStatus()).toEqual({ executed: ['CreateNotes'], pending: [] })
        expect(await orm.migrateDown()).toEqual(['CreateNotes'])
        await expect(orm.execute('select body from ormcase_note')).rejects.toThrow()
      })

      it('closes the ORM at app.close()', async () => {
        // An app of the case's own on the same database: closing the suite's would leave the other cases none.
        const own = await createApp(defineConfig({ environment: 'test', components: { container, orm: mikroOrm({ url, entities: [Page, Revision] }) } }))
        const orm = own.resolve(MikroOrm)
        const native = orm.native
        expect(await native.isConnected()).toBe(true)
        await own.close()
        expect(await native.isConnected()).toBe(false)
        let error: unknown
        try {
          orm.fork()
        } catch (e) {
          error = e
        }
        expect(error).toBeInstanceOf(DovetailError)
        expect((error as DovetailError).code).toBe('DOVETAIL_ERR_ORM_NOT_STARTED')
      })
    })
  }
}
