import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineEntity } from '@mikro-orm/core'
import { afterAll, describe, expect, it } from 'vitest'
import { type App, type Component, type Context, createApp, defineConfig, DovetailError, Logger, Orm } from 'dovetailjs'
import { toHttpConflict, transaction, type TransactionOptions } from 'dovetailjs/components/middleware/transaction'
import { Kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { Em, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { createTestClient } from 'dovetailjs/testing'
import { recordingLogger } from '../../../test/support/recording-logger.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-tx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const Tag = defineEntity({
  name: 'TxTestTag',
  tableName: 'txtest_tag',
  properties: (p) => ({ id: p.integer().primary().autoincrement(), name: p.string().unique() }),
})

/** One ORM component, and how a handler adds a tag and counts them through it. */
interface TagStore {
  name: string
  component(file: string): Component
  add(ctx: Context, name: string): Promise<void>
  count(ctx: Context): Promise<number>
}

const onMikroOrm: TagStore = {
  name: 'orm/mikro-orm',
  component: (file) => mikroOrm({ url: file, entities: [Tag], schema: 'update' }),
  async add(ctx, name) {
    const em = ctx.resolve(Em)
    em.create(Tag, { name })
    await em.flush()
  },
  count: (ctx) => ctx.resolve(Em).count(Tag),
}

// Kysely writes at once: the insert runs in the request's transaction, which the middleware commits or rolls back.
const onKysely: TagStore = {
  name: 'orm/kysely',
  component: (file) =>
    kysely({
      url: file,
      tables: { txtest_tag: { id: { type: 'integer', primaryKey: true, autoIncrement: true }, name: { type: 'varchar(255)', notNull: true, unique: true } } },
      schema: 'update',
    }),
  async add(ctx, name) {
    await ctx.resolve(Kdb).insertInto('txtest_tag').values({ name }).execute()
  },
  count: async (ctx) => Number((await ctx.resolve(Kdb).selectFrom('txtest_tag').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
}

let files = 0
async function appWith(store: TagStore, options: TransactionOptions | undefined, middleware = true, handlerTimeout: number | false = false): Promise<App> {
  return createApp(
    defineConfig({
      environment: 'test',
      limits: { handlerTimeout },
      components: {
        orm: store.component(join(dir, `tx-${++files}.db`)),
        middleware: middleware ? [transaction(options)] : [],
      },
      register(c) {
        c.value(Logger, recordingLogger())
      },
      routes(r) {
        // Writes, flushes, then answers with the status asked for: what is kept shows what was committed.
        r.get('/tags/:name', async (ctx) => {
          await store.add(ctx, ctx.params.name!)
          return ctx.text('made', { status: Number(ctx.query.status ?? 200) })
        })
        r.post('/tags/:name', async (ctx) => {
          try {
            await store.add(ctx, ctx.params.name!)
          } catch (error) {
            throw toHttpConflict(error, ctx.resolve(Orm))
          }
          return ctx.text('made', { status: 201 })
        })
        r.get('/count', async (ctx) => ctx.text(String(await store.count(ctx))))
        // Writes, then takes its time without looking at ctx.signal, then answers 201.
        r.post('/slow-tags/:name', async (ctx) => {
          await store.add(ctx, ctx.params.name!)
          await new Promise((resolve) => setTimeout(resolve, 200))
          return ctx.text('made', { status: 201 })
        })
      },
    }),
  )
}

describe.each([onMikroOrm, onKysely])('middleware/transaction on $name', (store) => {
  it("wraps every request with methods: 'all', and keeps a redirect's writes", async () => {
    const app = await appWith(store, { methods: 'all' })
    const client = createTestClient(app)
    expect((await client.get('/tags/kept?status=303')).status).toBe(303)
    expect((await client.get('/tags/dropped?status=404')).status).toBe(404)
    expect((await client.get('/tags/dropped-too?status=503')).status).toBe(503)
    expect(await (await client.get('/count')).text()).toBe('1')
    await app.close()
  })

  it('rolls back a handler that answers 201 after the time limit answered 503: nothing is kept', async () => {
    const app = await appWith(store, undefined, true, 50)
    const client = createTestClient(app)
    expect((await client.post('/slow-tags/late')).status).toBe(503)
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(await (await client.get('/count')).text()).toBe('0')
    await app.close()
  })

  it('leaves unlisted methods alone: their own flushes stay, whatever the status', async () => {
    const app = await appWith(store, { methods: ['post'] })
    const client = createTestClient(app)
    expect((await client.get('/tags/kept?status=404')).status).toBe(404)
    expect(await (await client.get('/count')).text()).toBe('1')
    await app.close()
  })

  it('answers 500, not 409, with conflicts: false', async () => {
    const app = await appWith(store, { methods: ['GET'], conflicts: false })
    const client = createTestClient(app)
    expect((await client.get('/tags/same')).status).toBe(200)
    expect((await client.get('/tags/same')).status).toBe(500)
    await app.close()
  })

  it('maps a conflict by hand with toHttpConflict, without the middleware', async () => {
    const app = await appWith(store, undefined, false)
    const client = createTestClient(app)
    expect((await client.post('/tags/once')).status).toBe(201)
    const again = await client.post('/tags/once')
    expect(again.status).toBe(409)
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('DOVETAIL_ERR_HTTP_CONFLICT')
    await app.close()
  })
})

describe('middleware/transaction', () => {
  it('refuses to start without a component in the orm slot', async () => {
    const error = await createApp(defineConfig({ components: { middleware: [transaction()] } })).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DovetailError)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT')
    expect((error as DovetailError).message).toContain('middleware/transaction')
  })

  it('refuses a method name that is not one, naming the option', async () => {
    const error = await createApp(defineConfig({ components: { orm: mikroOrm({ url: ':memory:' }), middleware: [transaction({ methods: ['PO ST'] })] } })).catch((e: unknown) => e)
    expect((error as DovetailError).code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect((error as DovetailError).message).toContain("option 'methods[0]'")
  })
})
