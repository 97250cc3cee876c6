import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, defineConfig, Logger, Orm } from 'dovetailjs'
import { Kdb, kysely, KyselyOrm } from 'dovetailjs/components/orm/kysely'
import { main } from '../../../core/cli/index.js'
import { faultProxy } from '../../../test/support/fault-proxy.js'
import { serviceAvailable, services } from '../../../test/support/services.js'
import { slowQueryServers } from '../../../test/support/slow-queries.js'
import { compileRaw } from './placeholders.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-kysely-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('orm/kysely: execute placeholders', () => {
  it('numbers ? for PostgreSQL, leaving ? in quotes and comments, and ?? as one ?', () => {
    const q = compileRaw(`select '?', "a?" from t -- why?\nwhere a = ? and b ?? 'k' and c = ?`, [1, 2], 'postgresql')
    expect(q.sql).toBe(`select '?', "a?" from t -- why?\nwhere a = $1 and b ? 'k' and c = $2`)
    expect(q.parameters).toEqual([1, 2])
    expect(compileRaw('select ? as x', [1], 'mysql').sql).toBe('select ? as x')
  })
})

describe('orm/kysely on SQLite', () => {
  it('opens a transaction on its first query: begin() alone takes no connection', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { orm: kysely({ url: join(dir, 'lazy.db'), acquireTimeout: 500, connectTimeout: 500 }) } }))
    const orm = app.resolve(KyselyOrm)
    const work = orm.fork()
    await work.begin()
    // SQLite has one connection: were it taken by the transaction, this would wait for acquireTimeout and fail.
    expect(await orm.execute('select 1 as one')).toEqual([{ one: 1 }])
    await work.selectNoFrom((eb) => eb.val(1).as('one')).execute()
    const waited = await orm.execute('select 1 as one').then(() => 'answered', (e: { status?: number }) => e.status)
    expect(waited).toBe(503)
    await work.rollback()
    expect(await orm.execute('select 1 as one')).toEqual([{ one: 1 }])
    await app.close()
  })

  it('stores a boolean parameter as 1 or 0 (libsql alone would abort the process)', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { orm: kysely({ url: join(dir, 'booleans.db') }) } }))
    const db = app.resolve(KyselyOrm).native
    await db.schema.createTable('kytest_flag').addColumn('on', 'boolean').execute()
    await db.insertInto('kytest_flag').values([{ on: true }, { on: false }]).execute()
    expect(await app.resolve(Orm).execute('select "on" from kytest_flag where "on" = ?', [true])).toEqual([{ on: 1 }])
    await app.close()
  })

  it('creates, updates and drops the declared tables, adding a column to an existing table', async () => {
    const tables = { kytest_note: { id: { type: 'integer', primaryKey: true, autoIncrement: true }, body: { type: 'varchar(200)', notNull: true } } }
    const url = join(dir, 'schema.db')
    const first = await createApp(defineConfig({ environment: 'test', components: { orm: kysely({ url, tables, schema: 'update' }) } }))
    await first.resolve(Orm).execute('insert into kytest_note (body) values (?)', ['one'])
    await first.close()
    const wider = { kytest_note: { ...tables.kytest_note, slug: { type: 'varchar(50)', notNull: true, unique: true } } }
    const second = await createApp(defineConfig({ environment: 'test', components: { orm: kysely({ url, tables: wider, schema: 'update' }) } }))
    const orm = second.resolve(Orm)
    await orm.execute('update kytest_note set slug = ?', ['one'])
    const duplicate = await orm.execute('insert into kytest_note (body, slug) values (?, ?)', ['two', 'one']).catch((e: unknown) => e)
    expect(orm.isUniqueViolation(duplicate)).toBe(true)
    await orm.dropSchema()
    await expect(orm.execute('select id from kytest_note')).rejects.toThrow()
    await second.close()
  })
})

describe('dovetail db on orm/kysely', () => {
  it('migrates from a folder of compiled JavaScript, lists and undoes, through the component command', async () => {
    const project = join(dir, 'project')
    mkdirSync(join(project, 'migrations'), { recursive: true })
    writeFileSync(
      join(project, 'migrations', '0001_notes.js'),
      `export async function up(db) { await db.schema.createTable('kydb_note').addColumn('id', 'integer', (c) => c.primaryKey()).execute() }
export async function down(db) { await db.schema.dropTable('kydb_note').execute() }
`,
    )
    writeFileSync(
      join(project, 'app.ts'),
      `import { defineConfig } from 'dovetailjs'
import { kysely } from 'dovetailjs/components/orm/kysely'
export default defineConfig({ components: { orm: kysely({ url: ${JSON.stringify(join(project, 'app.db'))}, migrations: { folder: ${JSON.stringify(join(project, 'migrations'))} } }) } })
`,
    )
    const db = async (...args: string[]) => {
      const out: string[] = []
      const err: string[] = []
      const code = await main(['db', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), cwd: project })
      return { code, out: out.join('\n'), err: err.join('\n') }
    }
    expect(await db('migration:status')).toEqual({ code: 0, out: 'pending   0001_notes', err: '' })
    expect(await db('migrate')).toEqual({ code: 0, out: 'migrated: 0001_notes', err: '' })
    expect(await db('migration:status')).toEqual({ code: 0, out: 'executed  0001_notes', err: '' })
    expect(await db('migrate:down')).toEqual({ code: 0, out: 'reverted: 0001_notes', err: '' })
    const create = await db('migration:create')
    expect(create.code).toBe(1)
    expect(create.err).toContain("migration:create is not offered by 'kysely'")
  })
})

for (const server of slowQueryServers) {
  const available = await serviceAvailable(server.service)
  describe.skipIf(!available)(`orm/kysely on ${server.name}: availability`, () => {
    it('answers 503 with Retry-After within the timeouts while the database is unreachable, and serves again once it is back', async () => {
      const proxy = await faultProxy(services[server.service])
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { orm: kysely({ url: server.url(proxy.port), connectTimeout: 1000, acquireTimeout: 1500, retryAfter: 7 }) },
          register: (c) => void c.value(Logger, quiet),
          routes: (r) => r.get('/one', async (ctx) => ctx.json(await ctx.resolve(Kdb).selectNoFrom((eb) => eb.val(1).as('one')).execute())),
        }),
      )
      try {
        proxy.setMode('refuse')
        proxy.cut()
        const started = performance.now()
        const down = await app.fetch(new Request('http://localhost/one'))
        expect(down.status).toBe(503)
        expect(down.headers.get('retry-after')).toBe('7')
        expect(performance.now() - started).toBeLessThan(1500 + 1500)
        proxy.setMode('pass')
        expect((await app.fetch(new Request('http://localhost/one'))).status).toBe(200)
      } finally {
        proxy.setMode('pass')
        await app.close()
        await proxy.close()
      }
    })

    it('cancels the running query when the time limit answers 503', async () => {
      const marker = `kycancel_${randomBytes(4).toString('hex')}`
      const app = await createApp(
        defineConfig({
          environment: 'test',
          limits: { handlerTimeout: 300 },
          components: { orm: kysely({ url: server.url(services[server.service].port) }) },
          register: (c) => void c.value(Logger, quiet),
          routes: (r) =>
            r.get('/slow', async (ctx) => {
              await ctx.resolve(Orm).execute(server.slow(marker), [], ctx.resolve(Kdb))
              return ctx.text('done')
            }),
        }),
      )
      try {
        const started = performance.now()
        expect((await app.fetch(new Request('http://localhost/slow'))).status).toBe(503)
        expect(performance.now() - started).toBeLessThan(3000)
        const orm = app.resolve(Orm)
        let running = 1
        for (let i = 0; i < 40 && running > 0; i++) {
          await sleep(100)
          running = Number((await orm.execute<{ n: number | string }>(server.running(marker)))[0]!.n)
        }
        expect(running).toBe(0)
      } finally {
        await app.close()
      }
    })
  })
}
