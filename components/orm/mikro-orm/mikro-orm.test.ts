import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineEntity } from '@mikro-orm/core'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { createApp, defineConfig, Orm } from 'dovetailjs'
import { mikroOrm, MikroOrm, type MikroOrmOptions, resolveConnection } from 'dovetailjs/components/orm/mikro-orm'
import { SqlEntityManager } from '@mikro-orm/knex'
import { startupError } from '../../../test/support/startup-error.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-mikro-'))
// Generated migrations import @mikro-orm/migrations, so they must sit where node_modules is found.
const generated = mkdtempSync(join(import.meta.dirname, '.test-migrations-'))
afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
  rmSync(generated, { recursive: true, force: true })
})

const Thing = defineEntity({
  name: 'MikroTestThing',
  tableName: 'mikrotest_thing',
  properties: (p) => ({ id: p.integer().primary().autoincrement(), label: p.string() }),
})


describe('orm/mikro-orm options', () => {
  it('refuses a non-entity in entities, naming the option', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ entities: ['Thing' as never] }) } }))
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain("option 'entities[0]'")
    expect(error.message).toContain('orm/mikro-orm')
  })

  it('refuses an unknown driver and unknown keys', async () => {
    const driver = await startupError(defineConfig({ components: { orm: mikroOrm({ driver: 'oracle' as never }) } }))
    expect(driver.message).toContain("option 'driver'")
    const unknown = await startupError(defineConfig({ components: { orm: mikroOrm({ database: 'x' } as never) } }))
    expect(unknown.message).toMatch(/database/)
  })

  it('refuses MikroORM options that this component owns', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ mikroOrm: { clientUrl: 'postgresql://x/y' } }) } }))
    expect(error.message).toContain("option 'mikroOrm.clientUrl'")
    expect(error.message).toContain("'url' option")
  })

  it('refuses a connectTimeout longer than acquireTimeout, and timeouts that are not whole milliseconds', async () => {
    const longer = await startupError(defineConfig({ components: { orm: mikroOrm({ url: ':memory:', connectTimeout: 20_000 }) } }))
    expect(longer.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(longer.message).toContain("option 'connectTimeout'")
    expect(longer.message).toContain('must not exceed acquireTimeout')
    for (const bad of [{ acquireTimeout: 0 }, { connectTimeout: 1.5 }, { busyTimeout: -1 }, { retryAfter: 2.5 }]) {
      const error = await startupError(defineConfig({ components: { orm: mikroOrm({ url: ':memory:', ...bad }) } }))
      expect(error.message).toContain(`option '${Object.keys(bad)[0]}'`)
    }
  })

  it('refuses the timeouts set through mikroOrm.driverOptions, naming the option that sets them', async () => {
    const acquire = await startupError(defineConfig({ components: { orm: mikroOrm({ url: ':memory:', mikroOrm: { driverOptions: { acquireConnectionTimeout: 60_000 } } }) } }))
    expect(acquire.message).toContain("option 'mikroOrm.driverOptions.acquireConnectionTimeout'")
    expect(acquire.message).toContain("'acquireTimeout' option")
    const connect = await startupError(defineConfig({ components: { orm: mikroOrm({ url: ':memory:', mikroOrm: { driverOptions: { connection: { connectionTimeoutMillis: 1 } } } }) } }))
    expect(connect.message).toContain("'connectTimeout' option")
  })

  it('refuses a driver that contradicts the url', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ driver: 'postgresql', url: join(dir, 'x.db') }) } }))
    expect(error.code).toBe('DOVETAIL_ERR_ORM_CONFIG')
    expect(error.message).toContain("option 'driver' is 'postgresql'")
  })

  it('refuses a server driver without a URL, instead of falling back to SQLite', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ driver: 'mysql' }) } }))
    expect(error.code).toBe('DOVETAIL_ERR_ORM_CONFIG')
    expect(error.message).toContain('DATABASE_URL')
  })

  it('names a failed connection as a start failure of the component', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ url: 'postgresql://nobody:secret@127.0.0.1:1/none' }) } }))
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_START')
    expect(error.message).toContain("'orm/mikro-orm'")
    expect(error.message).not.toContain('secret')
  })
})

describe('orm/mikro-orm connection', () => {
  const saved = process.env.DATABASE_URL
  afterEach(() => {
    if (saved === undefined) delete process.env.DATABASE_URL
    else process.env.DATABASE_URL = saved
  })

  it('picks the dialect from the URL scheme, url before DATABASE_URL before the SQLite default', () => {
    expect(resolveConnection({}, {})).toEqual({ dialect: 'sqlite', target: './data/app.db', source: 'the default' })
    expect(resolveConnection({}, { DATABASE_URL: 'postgres://u@h/db' })).toMatchObject({ dialect: 'postgresql', source: 'DATABASE_URL' })
    expect(resolveConnection({ url: 'mysql://u@h/db' }, { DATABASE_URL: 'postgres://u@h/db' })).toMatchObject({ dialect: 'mysql', source: 'options.url' })
    expect(resolveConnection({}, { DATABASE_URL: 'mariadb://u@h/db' }).dialect).toBe('mariadb')
    expect(resolveConnection({ driver: 'mariadb', url: 'mysql://u@h/db' }).dialect).toBe('mariadb')
    expect(resolveConnection({ url: 'file:./var/app.db' }).target).toBe('./var/app.db')
    expect(resolveConnection({ url: 'sqlite:///srv/app.db' }).target).toBe('/srv/app.db')
    expect(resolveConnection({ url: ':memory:' })).toMatchObject({ dialect: 'sqlite', target: ':memory:' })
  })

  it('refuses a DATABASE_URL it cannot read, masking the password', () => {
    expect(() => resolveConnection({}, { DATABASE_URL: 'mongodb://me:hunter2@h/db' })).toThrow(/DATABASE_URL is 'mongodb:\/\/me:\*\*\*@h\/db'/)
  })

  it('is a built-in by name, configured by DATABASE_URL, and creates the SQLite folder', async () => {
    const file = join(dir, 'made', 'by-name.db')
    process.env.DATABASE_URL = `file:${file}`
    const app = await createApp(defineConfig({ components: { orm: 'mikro-orm' } }))
    try {
      const orm = app.resolve(Orm)
      expect(orm.name).toBe('mikro-orm')
      expect(orm.dialect).toBe('sqlite')
      expect(await orm.execute<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }])
      expect(existsSync(file)).toBe(true)
    } finally {
      await app.close()
    }
  })

  it("updates the schema at start with schema: 'update'", async () => {
    const app = await createApp(defineConfig({ components: { orm: mikroOrm({ url: join(dir, 'auto.db'), entities: [Thing], schema: 'update' }) } }))
    try {
      const em = app.resolve(MikroOrm).fork()
      em.create(Thing, { label: 'made at start' })
      await em.flush()
      expect(await app.resolve(MikroOrm).fork().count(Thing)).toBe(1)
    } finally {
      await app.close()
    }
  })
})

describe('orm/mikro-orm units of work', () => {
  const open = async (extra: Partial<MikroOrmOptions> = {}) => {
    const app = await createApp(defineConfig({ components: { orm: mikroOrm({ url: join(dir, `uow-${++files}.db`), entities: [Thing], schema: 'update', acquireTimeout: 1000, connectTimeout: 1000, ...extra }) } }))
    return { app, orm: app.resolve(MikroOrm) }
  }
  let files = 0

  it('begin() takes no connection until the first query: on SQLite, others write meanwhile', async () => {
    const { app, orm } = await open()
    try {
      const em = orm.fork()
      await em.begin()
      expect(em.isInTransaction()).toBe(true)
      // SQLite has one connection: a transaction holding it would keep this waiting for acquireTimeout, then 503.
      await orm.execute('insert into mikrotest_thing (label) values (?)', ['meanwhile'])
      em.create(Thing, { label: 'in the transaction' })
      await em.commit()
      expect(em.isInTransaction()).toBe(false)
      expect((await orm.fork().find(Thing, {}, { orderBy: { id: 'asc' } })).map((t) => t.label)).toEqual(['meanwhile', 'in the transaction'])
    } finally {
      await app.close()
    }
  })

  it('em.transactional() inside a begun transaction is a savepoint of it, opened by its first query', async () => {
    const { app, orm } = await open()
    try {
      const em = orm.fork()
      await em.begin()
      await em.transactional(async (inner) => void inner.create(Thing, { label: 'inner' }))
      await expect(em.transactional(async (inner) => {
        inner.create(Thing, { label: 'undone' })
        await inner.flush()
        throw new Error('no')
      })).rejects.toThrow('no')
      await em.rollback()
      expect(await orm.fork().count(Thing)).toBe(0)
    } finally {
      await app.close()
    }
  })

  it("extends the app's own entity manager class (mikroOrm.entityManager)", async () => {
    class AppEntityManager extends SqlEntityManager {
      labels = async () => (await this.find(Thing, {})).map((t) => t.label)
    }
    const { app, orm } = await open({ mikroOrm: { entityManager: AppEntityManager } })
    try {
      const em = orm.fork()
      expect(em).toBeInstanceOf(AppEntityManager)
      await em.begin()
      em.create(Thing, { label: 'mine' })
      await em.commit()
      expect(await (orm.fork() as AppEntityManager).labels()).toEqual(['mine'])
    } finally {
      await app.close()
    }
  })
})

describe('orm/mikro-orm on SQLite: kept statements (statementCacheSize)', () => {
  let files = 0
  for (const statementCacheSize of [100, 0]) {
    it(`stores values as their SQL literals would and follows schema changes (statementCacheSize: ${statementCacheSize})`, async () => {
      const app = await createApp(defineConfig({ components: { orm: mikroOrm({ url: join(dir, `statements-${++files}.db`), statementCacheSize }) } }))
      try {
        const orm = app.resolve(Orm)
        await orm.execute('create table kept (n integer, t text, r real)')
        const rows = [[5, 5, 1.5], [-3, 'it’s "quoted" ?', 2], [null, null, 1e-7], [2 ** 53 + 2, true, 0.1]]
        for (const row of rows) await orm.execute('insert into kept (n, t, r) values (?, ?, ?)', row)
        const read = () => orm.execute('select * from kept order by rowid')
        expect(await read()).toEqual([
          { n: 5, t: '5', r: 1.5 },
          { n: -3, t: 'it’s "quoted" ?', r: 2 },
          { n: null, t: null, r: 1e-7 },
          { n: 2 ** 53 + 2, t: '1', r: 0.1 },
        ])
        expect(await orm.execute('select typeof(n) as n, typeof(t) as t from kept where rowid = ?', [1])).toEqual([{ n: 'integer', t: 'text' }])
        // The same statement, kept, after the table changed under it.
        await orm.execute('alter table kept add column extra text')
        expect((await read())[0]).toEqual({ n: 5, t: '5', r: 1.5, extra: null })
        await orm.execute('drop table kept')
        await orm.execute('create table kept (only text)')
        await orm.execute('insert into kept (only) values (?)', ['again'])
        expect(await read()).toEqual([{ only: 'again' }])
        // A statement that failed is used again as if new.
        await orm.execute('create unique index kept_only on kept (only)')
        const insert = () => orm.execute('insert into kept (only) values (?)', ['again'])
        expect(orm.isUniqueViolation(await insert().catch((error: unknown) => error))).toBe(true)
        expect(orm.isUniqueViolation(await insert().catch((error: unknown) => error))).toBe(true)
        await orm.execute('insert into kept (only) values (?)', ['other'])
        expect(await read()).toEqual([{ only: 'again' }, { only: 'other' }])
      } finally {
        await app.close()
      }
    })
  }

  it('refuses a statementCacheSize that is not a whole number of at least 0', async () => {
    const error = await startupError(defineConfig({ components: { orm: mikroOrm({ url: ':memory:', statementCacheSize: -1 }) } }))
    expect(error.message).toContain("option 'statementCacheSize'")
  })
})

describe('orm/mikro-orm migrations', () => {
  it('writes a migration for the entities, then runs it', async () => {
    const options = { url: join(dir, 'generated.db'), entities: [Thing], migrations: { path: generated } }
    const app = await createApp(defineConfig({ components: { orm: mikroOrm(options) } }))
    try {
      const orm = app.resolve(MikroOrm)
      const created = await orm.createMigration({ name: 'things' })
      expect(created.fileName).toMatch(/^Migration\d+_things\.ts$/)
      expect(readFileSync(join(generated, created.fileName), 'utf8')).toContain('mikrotest_thing')
      // Snapshots are off by default: the folder holds the migration and nothing else.
      expect(readdirSync(generated)).toEqual([created.fileName])
      expect(await orm.migrate()).toEqual([created.fileName.replace(/\.ts$/, '')])
      expect(await orm.execute('select count(*) as n from mikrotest_thing')).toEqual([{ n: 0 }])
      expect((await orm.createMigration()).fileName).toBe('')
    } finally {
      await app.close()
    }
  })
})
