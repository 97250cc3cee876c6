import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { defineEntity, Type } from '@mikro-orm/core'
import { Migration } from '@mikro-orm/migrations'
import { afterAll, describe, expect, it } from 'vitest'
import { createApp, defineConfig, DovetailError, Logger, Orm } from 'dovetailjs'
import { mikroOrm, MikroOrm, runDbCli } from 'dovetailjs/components/orm/mikro-orm'
import { sqlStore } from 'dovetailjs/components/session-store/sql'
import { portableConfig, visitLog } from './fixtures/portable-app.js'
import { startupError } from '../support/startup-error.js'

// Tables that components keep themselves, declared through the orm contract
// (Orm.ownTables), and what migration:create does with a change it cannot
// write for every database. SQLite only: what is checked here does not depend
// on the database (portable-migrations.test.ts runs all three).

const scratch = mkdtempSync(join(tmpdir(), 'dovetail-owned-'))
// Written migrations import @mikro-orm/migrations, so they must sit where node_modules is found.
const migrations = mkdtempSync(join(import.meta.dirname, '.owned-migrations-'))
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
  rmSync(migrations, { recursive: true, force: true })
})
const fixture = join(import.meta.dirname, 'fixtures', 'portable-app.ts')

async function cli(args: string[], url: string, folder = migrations): Promise<{ code: number; out: string; err: string }> {
  const saved = [process.env.DATABASE_URL, process.env.PORTABLE_MIGRATIONS, process.env.PORTABLE_VERSION]
  Object.assign(process.env, { DATABASE_URL: url, PORTABLE_MIGRATIONS: folder, PORTABLE_VERSION: '1' })
  const out: string[] = []
  const err: string[] = []
  try {
    const code = await runDbCli([...args, '--config', fixture], { out: (l) => out.push(l), err: (l) => err.push(l) })
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    ;(['DATABASE_URL', 'PORTABLE_MIGRATIONS', 'PORTABLE_VERSION'] as const).forEach((key, i) => {
      if (saved[i] === undefined) delete process.env[key]
      else process.env[key] = saved[i]
    })
  }
}


describe('tables components keep', () => {
  it('survive schema:update and schema:drop, the built-in store’s and a third-party component’s alike', async () => {
    const url = join(scratch, 'schema.db')
    const app = await createApp(portableConfig({ url, migrations, version: 1 }))
    expect((await fetchVisit(app)).status).toBe(200)
    await app.close()

    expect(await cli(['schema:update'], url)).toMatchObject({ code: 0 })
    expect(await cli(['schema:drop', '--yes'], url)).toMatchObject({ code: 0, out: 'Schema dropped.' })
    const after = await createApp(portableConfig({ url, migrations, version: 1 }))
    try {
      const orm = after.resolve(Orm)
      // The entities' tables went; the session and the visits stayed, rows and all.
      await expect(orm.execute('select id from portable_author')).rejects.toThrow()
      expect(await orm.execute('select id from dovetail_sessions')).toHaveLength(1)
      expect((await orm.execute('select path from acme_visits')).length).toBeGreaterThan(0)
    } finally {
      await after.close()
    }
  })

  it('refuses one table declared by two components, naming both', async () => {
    // The sql store pointed at the visit log's table: a configuration mistake caught at start.
    const error = await startupError(
      defineConfig({
        environment: 'test',
        components: {
          orm: mikroOrm({ url: join(scratch, 'clash.db') }),
          'session-store': sqlStore({ table: 'acme_visits' }),
          middleware: [visitLog()],
        },
      }),
    )
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_START')
    const cause = error.cause as DovetailError
    expect(cause.code).toBe('DOVETAIL_ERR_ORM_TABLE_OWNED')
    expect(cause.message).toMatch(/acme_visits/)
    expect(cause.message).toMatch(/'session-store\/sql'[\s\S]*'acme-visit-log'|'acme-visit-log'[\s\S]*'session-store\/sql'/)
  })

  it('refuses a name that is not a plain identifier', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { orm: mikroOrm({ url: ':memory:' }) } }))
    try {
      const orm = app.resolve(Orm)
      expect(() => orm.ownTables!('acme', ['audit.log'])).toThrow(expect.objectContaining({ code: 'DOVETAIL_ERR_ORM_TABLE_OWNED' }))
      expect(orm.ownedTables!()).toEqual([])
    } finally {
      await app.close()
    }
  })

  it('warns when an entity maps a table a component keeps, and leaves the table to the component', async () => {
    const warnings: string[] = []
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (_fields: unknown, message?: string) => void warnings.push(String(message)), child: () => logger } as unknown as Logger
    const Session = defineEntity({
      name: 'SessionRow',
      tableName: 'dovetail_sessions',
      properties: (p) => ({ id: p.string().primary(), data: p.text(), expires: p.bigint() }),
    })
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: mikroOrm({ url: join(scratch, 'mapped.db'), entities: [Session] }), 'session-store': sqlStore() },
        register: (c) => void c.value(Logger, logger),
      }),
    )
    try {
      expect(warnings).toContainEqual(expect.stringContaining("entity SessionRow maps the table dovetail_sessions, which component 'session-store/sql' keeps"))
      await app.resolve(Orm).dropSchema()
      expect(await app.resolve(Orm).execute('select id from dovetail_sessions')).toEqual([])
    } finally {
      await app.close()
    }
  })
})

describe('migration:create', () => {
  class Point extends Type<string, string> {
    override getColumnType(): string {
      return 'point'
    }
  }
  const Place = defineEntity({
    name: 'OwnedTestPlace',
    tableName: 'ownedtest_place',
    properties: (p) => ({ id: p.integer().primary().autoincrement(), at: p.type(Point) }),
  })

  it('refuses a change it cannot write for every database, saying which and what to do, and writes nothing', async () => {
    const folder = mkdtempSync(join(import.meta.dirname, '.owned-migrations-'))
    const app = await createApp(defineConfig({ environment: 'test', components: { orm: mikroOrm({ url: join(scratch, 'point.db'), entities: [Place], migrations: { path: folder } }) } }))
    try {
      const error = await app.resolve(MikroOrm).createMigration({ name: 'places' }).then(() => undefined, (e: unknown) => e)
      expect(error).toBeInstanceOf(DovetailError)
      expect((error as DovetailError).code).toBe('DOVETAIL_ERR_ORM_MIGRATION_NOT_PORTABLE')
      expect((error as DovetailError).message).toContain('column ownedtest_place.at: its type (Point) is not one of MikroORM')
      expect((error as DovetailError).message).toContain('migration:create --blank')
      expect(readdirSync(folder)).toEqual([])
    } finally {
      await app.close()
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('takes comments, which SQLite does not keep, for no change there', async () => {
    const folder = mkdtempSync(join(import.meta.dirname, '.owned-migrations-'))
    const url = join(scratch, 'comments.db')
    const version = (extra: boolean) =>
      defineEntity({
        name: 'OwnedTestNote',
        tableName: 'ownedtest_note',
        comment: 'Notes people leave',
        properties: (p) => ({
          id: p.integer().primary().autoincrement(),
          body: p.text().comment('What the note says'),
          ...(extra ? { pinned: p.boolean().nullable() } : {}),
        }),
      })
    const write = async (extra: boolean) => {
      const app = await createApp(defineConfig({ environment: 'test', components: { orm: mikroOrm({ url, entities: [version(extra)], migrations: { path: folder } }) } }))
      try {
        const orm = app.resolve(MikroOrm)
        const created = await orm.createMigration()
        await orm.migrate()
        return { created, again: await orm.createMigration() }
      } finally {
        await app.close()
      }
    }
    try {
      const first = await write(false)
      expect(readFileSync(join(folder, first.created.fileName), 'utf8')).toContain(".comment('What the note says')")
      expect(first.again.fileName).toBe('')
      // Within the same second as the first: the second file gets the next second's name, not the first's.
      const second = await write(true)
      expect(second.created.fileName).not.toBe(first.created.fileName)
      const code = readFileSync(join(folder, second.created.fileName), 'utf8')
      expect(code).toContain("t.specificType('pinned', this.#type('boolean')).nullable()")
      expect(code).not.toMatch(/alter\(\)|t\.comment/)
      expect(second.again.fileName).toBe('')
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })

  it('with --blank writes an empty migration that runs', async () => {
    const url = join(scratch, 'blank.db')
    const folder = mkdtempSync(join(import.meta.dirname, '.owned-migrations-'))
    try {
      const created = await cli(['migration:create', '--blank', '--name', 'by_hand'], url, folder)
      expect(created).toMatchObject({ code: 0, err: '' })
      const [file] = readdirSync(folder)
      expect(created.out).toBe(`created: ${file}`)
      expect(readFileSync(join(folder, file!), 'utf8')).toContain('(this.ctx ?? this.getKnex()).schema')
      expect(await cli(['migrate'], url, folder)).toMatchObject({ code: 0, out: `migrated: ${file!.replace(/\.ts$/, '')}` })
      expect(existsSync(url)).toBe(true)
    } finally {
      rmSync(folder, { recursive: true, force: true })
    }
  })
})

describe('migrations on SQLite', () => {
  // Foreign keys are checked once, at the end (a table rebuilt under rows that point at it is fine
  // in between); rows left pointing at nothing undo the whole run.
  class Parents extends Migration {
    override async up(): Promise<void> {
      const schema = () => (this.ctx ?? this.getKnex()).schema
      await schema().createTable('fkcheck_parent', (t) => void t.integer('id').primary())
      await schema().createTable('fkcheck_child', (t) => {
        t.integer('id').primary()
        t.integer('parent_id').notNullable().references('id').inTable('fkcheck_parent')
      })
      this.addSql("insert into fkcheck_parent (id) values (1)")
      this.addSql("insert into fkcheck_child (id, parent_id) values (1, 1)")
    }
  }
  class Orphans extends Migration {
    override async up(): Promise<void> {
      this.addSql('delete from fkcheck_parent')
    }
  }

  it('refuse to leave rows pointing at nothing, and migrate nothing then', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { orm: mikroOrm({ url: join(scratch, 'fkcheck.db'), migrations: { list: [{ name: 'Parents', class: Parents }, { name: 'Orphans', class: Orphans }] } }) },
      }),
    )
    try {
      const orm = app.resolve(MikroOrm)
      await expect(orm.migrate()).rejects.toThrow(/rows pointing at nothing \(fkcheck_child -> fkcheck_parent\); nothing was migrated/)
      expect(await orm.migrationStatus()).toEqual({ executed: [], pending: ['Parents', 'Orphans'] })
      // The check is on again afterwards.
      expect(await orm.execute('pragma foreign_keys')).toEqual([{ foreign_keys: 1 }])
    } finally {
      await app.close()
    }
  })
})

const fetchVisit = (app: { fetch(request: Request): Promise<Response> | Response }) =>
  Promise.resolve(app.fetch(new Request('http://localhost/visit', { method: 'POST' })))
