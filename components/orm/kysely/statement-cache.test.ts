import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'libsql'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger } from 'dovetailjs'
import { kysely, KyselyOrm } from 'dovetailjs/components/orm/kysely'
import { serviceAvailable, services } from '../../../test/support/services.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-kysely-statements-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

const open = (options: Parameters<typeof kysely>[0]) =>
  createApp(defineConfig({ environment: 'test', components: { orm: kysely(options) }, register: (c) => void c.value(Logger, quiet) }))

describe('orm/kysely on SQLite: kept statements', () => {
  it('answers with the new columns after a schema change on its own connection, or another', async () => {
    const url = join(dir, 'ddl.db')
    const app = await open({ url })
    const orm = app.resolve(KyselyOrm)
    const db = orm.native
    await db.schema.createTable('kytest_ddl').addColumn('a', 'integer').execute()
    await db.insertInto('kytest_ddl').values({ a: 1 }).execute()
    const all = () => db.selectFrom('kytest_ddl').selectAll().execute()
    expect(await all()).toEqual([{ a: 1 }])
    await db.schema.alterTable('kytest_ddl').addColumn('b', 'text').execute()
    expect(await all()).toEqual([{ a: 1, b: null }])
    // Dropped and made again with other columns: the same SQL text reads the new table.
    await db.schema.dropTable('kytest_ddl').execute()
    await db.schema.createTable('kytest_ddl').addColumn('x', 'text').addColumn('y', 'text').execute()
    await db.insertInto('kytest_ddl').values({ x: 'p', y: 'q' }).execute()
    expect(await all()).toEqual([{ x: 'p', y: 'q' }])
    // Another process's migration.
    const other = new Database(url)
    other.exec(`alter table kytest_ddl add column z integer default 7`)
    other.close()
    expect(await all()).toEqual([{ x: 'p', y: 'q', z: 7 }])
    await db.schema.dropTable('kytest_ddl').execute()
    await expect(all()).rejects.toThrow(/no such table/)
    await app.close()
  })

  it('runs a statement again after it failed', async () => {
    const app = await open({ url: join(dir, 'failed.db') })
    const db = app.resolve(KyselyOrm).native
    await db.schema.createTable('kytest_unique').addColumn('slug', 'text', (c) => c.unique()).execute()
    const add = (slug: string) => db.insertInto('kytest_unique').values({ slug }).execute()
    await add('a')
    await expect(add('a')).rejects.toThrow(/UNIQUE/)
    await add('b')
    expect(await db.selectFrom('kytest_unique').select('slug').orderBy('slug').execute()).toEqual([{ slug: 'a' }, { slug: 'b' }])
    await app.close()
  })

  it('streams rows while the same query runs again inside the loop, in one transaction', async () => {
    const app = await open({ url: join(dir, 'stream.db') })
    const orm = app.resolve(KyselyOrm)
    await orm.native.schema.createTable('kytest_stream').addColumn('n', 'integer').execute()
    // More than libsql reads ahead (100 rows), so the stream is still stepping its statement inside the loop.
    const count = 250
    await orm.native.insertInto('kytest_stream').values(Array.from({ length: count }, (_, i) => ({ n: i + 1 }))).execute()
    const work = orm.fork()
    await work.begin()
    const query = () => work.selectFrom('kytest_stream').select('n').orderBy('n')
    await query().execute()
    const streamed: number[] = []
    for await (const row of query().stream()) {
      streamed.push(row.n)
      // The same SQL on the same connection while the stream is half read.
      if (row.n % 50 === 0) expect(await query().execute()).toHaveLength(count)
    }
    await work.commit()
    expect(streamed).toEqual(Array.from({ length: count }, (_, i) => i + 1))
    await app.close()
  })

  it('keeps at most statementCacheSize statements, and none with 0, answering the same', async () => {
    for (const statementCacheSize of [0, 1]) {
      const app = await open({ url: join(dir, `size-${statementCacheSize}.db`), statementCacheSize })
      const db = app.resolve(KyselyOrm).native
      await db.schema.createTable('kytest_size').addColumn('n', 'integer').addColumn('flag', 'boolean').execute()
      await db.insertInto('kytest_size').values([{ n: 1, flag: true }, { n: 2, flag: false }]).execute()
      for (let i = 0; i < 3; i++) {
        // Two texts taking turns: with one kept, each run drops the other's statement.
        expect(await db.selectFrom('kytest_size').select('n').where('flag', '=', true).execute()).toEqual([{ n: 1 }])
        expect(await db.selectFrom('kytest_size').select('n').where('n', '>', 1).execute()).toEqual([{ n: 2 }])
      }
      await app.close()
    }
  })

  it('refuses a statementCacheSize that is not a whole number from 0', async () => {
    await expect(open({ url: join(dir, 'bad.db'), statementCacheSize: -1 })).rejects.toThrow(/statementCacheSize/)
  })
})

const hasPostgres = await serviceAvailable('postgres')

describe.skipIf(!hasPostgres)('orm/kysely on PostgreSQL: named prepared statements', () => {
  const table = `kytest_ps_${randomBytes(4).toString('hex')}`
  // One connection, so every query and the check of pg_prepared_statements share it.
  const openPg = (statementCacheSize?: number) => open({ url: services.postgres.url, poolSize: 1, ...(statementCacheSize === undefined ? {} : { statementCacheSize }) })
  const prepared = async (orm: { execute: (sql: string) => Promise<{ n: number | string }[]> }) =>
    Number((await orm.execute(`select count(*) as n from pg_prepared_statements where statement like '%${table}%' and statement not like '%pg_prepared_statements%'`))[0]!.n)

  afterAll(async () => {
    const app = await openPg()
    await app.resolve(KyselyOrm).execute(`drop table if exists ${table}`)
    await app.close()
  })

  it('prepares a query once per connection, keeps at most statementCacheSize, and none with 0', async () => {
    // Three: the insert, the select, and the query that counts them.
    let app = await openPg(3)
    let orm = app.resolve(KyselyOrm)
    const db = orm.native
    await db.schema.createTable(table).addColumn('n', 'integer').execute()
    await db.insertInto(table).values([{ n: 1 }, { n: 2 }, { n: 3 }]).execute()
    const above = (n: number) => db.selectFrom(table).select('n').where('n', '>', n).orderBy('n').execute()
    expect(await above(1)).toEqual([{ n: 2 }, { n: 3 }])
    expect(await above(2)).toEqual([{ n: 3 }])
    // The insert and the select: one statement each, whatever the values.
    expect(await prepared(orm)).toBe(2)
    for (let i = 0; i < 4; i++) await db.selectFrom(table).select('n').where('n', '=', i).limit(i + 1).execute()
    expect(await prepared(orm)).toBeLessThanOrEqual(2)
    expect(await above(0)).toHaveLength(3)
    await app.close()

    app = await openPg(0)
    orm = app.resolve(KyselyOrm)
    expect(await orm.native.selectFrom(table).select('n').where('n', '>', 0).execute()).toHaveLength(3)
    expect(await prepared(orm)).toBe(0)
    await app.close()
  })

  it('answers with the new columns after the table changes, outside a transaction and in the next one', async () => {
    const app = await openPg()
    const orm = app.resolve(KyselyOrm)
    const all = (db = orm.native) => db.selectFrom(table).selectAll().orderBy('n').executeTakeFirst()
    expect(await all()).toEqual({ n: 1 })
    await orm.execute(`alter table ${table} add column label text default 'x'`)
    // PostgreSQL refuses the kept statement ("cached plan must not change result type"); it is prepared again.
    expect(await all()).toEqual({ n: 1, label: 'x' })

    const work = orm.fork()
    await work.begin()
    await orm.execute(`alter table ${table} drop column label`)
    // In a transaction the refusal is the query's: it cannot be run again there.
    await expect(all(work)).rejects.toThrow(/cached plan must not change result type/)
    await work.rollback()
    const next = orm.fork()
    await next.begin()
    expect(await all(next)).toEqual({ n: 1 })
    await next.commit()
    await app.close()
  })

  it('keeps working after DEALLOCATE ALL, and sends a query of several statements as it is', async () => {
    const app = await openPg()
    const orm = app.resolve(KyselyOrm)
    const one = () => orm.native.selectFrom(table).select('n').where('n', '=', 1).execute()
    expect(await one()).toEqual([{ n: 1 }])
    await orm.execute('deallocate all')
    expect(await one()).toEqual([{ n: 1 }])
    // A named statement cannot hold two: this one goes unnamed, as before.
    await expect(orm.execute(`select 1 as one; select n from ${table} where n = 2`)).resolves.toBeInstanceOf(Array)
    await app.close()
  })
})
