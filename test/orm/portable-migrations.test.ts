import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { type App, createApp, defineConfig, Logger, Orm } from 'dovetailjs'
import { session, sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { mikroOrm, MikroOrm, runDbCli } from 'dovetailjs/components/orm/mikro-orm'
import { sqlStore } from 'dovetailjs/components/session-store/sql'
import { createTestClient } from 'dovetailjs/testing'
import { services, serviceAvailable } from '../support/services.js'
import { portableConfig } from './fixtures/portable-app.js'

// Issue 7: `migration:create` in a project with the sql session store wrote a
// migration that dropped the store's table, in SQLite-only SQL. Here a
// fullstack-like project (entities, the sql session store, a third-party
// component with a table of its own) writes its migrations through the
// command line on each database, and every migration written runs on all
// three, each on a database of its own, after which the sessions still work
// and a new diff there finds nothing to do.

const fixture = join(import.meta.dirname, 'fixtures', 'portable-app.ts')
const scratch = mkdtempSync(join(tmpdir(), 'dovetail-portable-'))
// Written migrations import @mikro-orm/migrations, so they must sit where node_modules is found.
const folders: string[] = []
const run = Math.random().toString(36).slice(2, 8)
const dropped: Array<() => Promise<void>> = []

afterAll(async () => {
  for (const drop of dropped) await drop().catch(() => {})
  rmSync(scratch, { recursive: true, force: true })
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

interface Database {
  name: string
  available: boolean
  /** A database with nothing in it, dropped after the run. */
  fresh(label: string): Promise<string>
}

/** Create and later drop a database on a server, through an app on its standard test database. */
const onServer = (adminUrl: string, urlFor: (db: string) => string): Database['fresh'] => async (label) => {
  const db = `dovetail_portable_${run}_${label}`
  const admin = async (sql: string) => {
    const app = await createApp(defineConfig({ environment: 'test', components: { orm: mikroOrm({ url: adminUrl }) } }))
    try {
      await app.resolve(Orm).execute(sql)
    } finally {
      await app.close()
    }
  }
  await admin(`create database ${db}`)
  dropped.push(() => admin(`drop database ${db}`))
  return urlFor(db)
}

const databases: Database[] = [
  { name: 'SQLite', available: true, fresh: async (label) => join(scratch, `${label}.db`) },
  {
    name: 'PostgreSQL',
    available: await serviceAvailable('postgres'),
    fresh: onServer(services.postgres.url, (db) => services.postgres.url.replace(/\/test$/, `/${db}`)),
  },
  {
    name: 'MariaDB',
    available: await serviceAvailable('mariadb'),
    fresh: onServer(services.mariadb.url, (db) => services.mariadb.url.replace(/^mysql:/, 'mariadb:').replace(/\/test$/, `/${db}`)),
  },
]
const up = databases.filter((d) => d.available)

/** `dovetail db <args> --config fixture`, with the project's environment. */
async function db(args: string[], env: { url: string; migrations: string; version: 1 | 2 }): Promise<{ code: number; out: string; err: string }> {
  const saved = { url: process.env.DATABASE_URL, migrations: process.env.PORTABLE_MIGRATIONS, version: process.env.PORTABLE_VERSION }
  process.env.DATABASE_URL = env.url
  process.env.PORTABLE_MIGRATIONS = env.migrations
  process.env.PORTABLE_VERSION = String(env.version)
  const out: string[] = []
  const err: string[] = []
  try {
    const code = await runDbCli([...args, '--config', fixture], { out: (l) => out.push(l), err: (l) => err.push(l), program: 'dovetail db' })
    return { code, out: out.join('\n'), err: err.join('\n') }
  } finally {
    for (const [key, value] of [['DATABASE_URL', saved.url], ['PORTABLE_MIGRATIONS', saved.migrations], ['PORTABLE_VERSION', saved.version]] as const) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

const noChanges = { code: 0, out: 'No changes: the schema matches the entities.', err: '' }

/** A new folder for migrations, removed after the run; with `from`, holding a copy of that folder's migrations. */
function migrationsFolder(from?: string): string {
  const folder = mkdtempSync(join(import.meta.dirname, '.portable-migrations-'))
  folders.push(folder)
  if (from) cpSync(from, folder, { recursive: true })
  return folder
}

/** `make()` run once, when first asked for; every later call gets the same promise, fulfilled or rejected. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** Sessions work (two requests, one cookie), the entities' tables take a row, and the third-party component logs visits. */
async function checkApp(app: App, author: string): Promise<void> {
  const client = createTestClient(app)
  const first = await client.post('/visit')
  expect(first.status).toBe(200)
  const cookie = first.headers.getSetCookie()[0]!.split(';')[0]!
  expect(await (await client.post('/visit', { headers: { cookie } })).json()).toEqual({ visits: 2 })
  expect((await client.post(`/authors/${author}`)).status).toBe(201)
  const orm = app.resolve(Orm)
  const [row] = await orm.execute<{ id: number }>('select id from portable_author where name = ?', [author])
  expect(row).toBeDefined()
  // A book pointing at the author: a later migration that rebuilds the author's table on SQLite must keep it.
  await orm.execute("insert into portable_book (isbn, title, price, pages, genre, author_id) values (?, 'A title', 9.5, 100, 'essay', ?)", [`isbn-${author}`, row!.id])
  const [visits] = await orm.execute<{ n: number | string }>('select count(*) as n from acme_visits')
  expect(Number(visits!.n)).toBeGreaterThanOrEqual(3)
}

describe.skipIf(up.length === 0)('portable migrations', () => {
  for (const writer of up) {
    describe(`written on ${writer.name}`, () => {
      const w = writer.name.toLowerCase()
      const firstFolder = migrationsFolder()

      // The cases build on each other: the first migration is written here, then run on each database; the second
      // is written over it here, then run where the first ran. So each step is a function run once, with all its
      // checks, by its own case or, when a later case comes first (run alone, or shuffled), by that one; its own case
      // then finds it done (or failed). What a step leaves is changed by no step but the last to read it: the second
      // migration goes in a copy of the first's folder, and a database moves on only in the step that uses it last.
      // So every case passes alone and in any order, and no step runs twice.

      /** Writes the first migration on this database, after the project ran there, and migrates it. */
      const writeFirst = once(async () => {
        const migrations = firstFolder
        const source = await writer.fresh(`${w}_src`)
        // The project has run: the session table exists and holds a session, the visit log has rows.
        const app = await createApp(portableConfig({ url: source, migrations, version: 1 }))
        const client = createTestClient(app)
        expect((await client.post('/visit')).status).toBe(200)
        expect([...app.resolve(Orm).ownedTables!()].sort((a, b) => a.name.localeCompare(b.name))).toEqual([
          { name: 'acme_visits', owner: 'acme-visit-log' },
          { name: 'dovetail_sessions', owner: 'session-store/sql' },
        ])
        await app.close()

        const created = await db(['migration:create', '--name', 'initial'], { url: source, migrations, version: 1 })
        expect(created.err).toBe('')
        expect(created.code).toBe(0)
        const first = /created: (\S+)/.exec(created.out)![1]!
        const code = readFileSync(join(migrations, first), 'utf8')
        expect(code).not.toMatch(/dovetail_sessions|acme_visits/)
        expect(code).toContain("createTable('portable_author'")
        expect(code).toContain("createTable('portable_book_tags'")
        // knex's builder and MikroORM's types, not this database's SQL.
        expect(code).not.toMatch(/addSql|create table|serial|autoincrement|int unsigned/i)

        // Migrating the database it was written on keeps the sessions made before.
        expect((await db(['migrate'], { url: source, migrations, version: 1 })).code).toBe(0)
        expect(await db(['migration:create'], { url: source, migrations, version: 1 })).toEqual(noChanges)
        return { source, first }
      })

      /** Runs the first migration on each database, where the project then works; the database's URL. */
      const runFirstOn = new Map(
        up.map((target) => [
          target.name,
          once(async () => {
            const { first } = await writeFirst()
            const migrations = firstFolder
            const url = await target.fresh(`${w}_on_${target.name.toLowerCase()}`)
            const migrated = await db(['migrate'], { url, migrations, version: 1 })
            expect(migrated.err).toBe('')
            expect(migrated.out).toBe(`migrated: ${first.replace(/\.ts$/, '')}`)
            const app = await createApp(portableConfig({ url, migrations, version: 1 }))
            try {
              await checkApp(app, 'first')
            } finally {
              await app.close()
            }
            expect(await db(['migration:create'], { url, migrations, version: 1 })).toEqual(noChanges)
            expect(readdirSync(migrations)).toEqual([first])
            return url
          }),
        ]),
      )

      /** Writes the second migration on this database, at the first version, and migrates it. */
      const writeSecond = once(async () => {
        const { source } = await writeFirst()
        // A copy of the folder: the runs of the first migration read the first one alone.
        const migrations = migrationsFolder(firstFolder)
        const created = await db(['migration:create', '--name', 'shelves'], { url: source, migrations, version: 2 })
        expect(created.err).toBe('')
        expect(created.code).toBe(0)
        const second = /created: (\S+)/.exec(created.out)![1]!
        const code = readFileSync(join(migrations, second), 'utf8')
        expect(code).not.toMatch(/dovetail_sessions|acme_visits/)
        for (const expected of ["createTable('portable_shelf'", "dropTable('portable_review')", "specificType('name', this.#type('string', { length: 150 }))", '.alter()', "t.foreign(['shelf_id']"]) {
          expect(code).toContain(expected)
        }
        // A text column dropped and a string added: SQLite's diff sees a rename (its rows kept, its type made the
        // declared one), the others a drop and an add. Either runs everywhere.
        expect(code).toMatch(writer.name === 'SQLite' ? /renameColumn\('bio', 'email'\)/ : /dropColumn\('bio'\)/)
        expect((await db(['migrate'], { url: source, migrations, version: 2 })).code).toBe(0)
        return { migrations }
      })

      it("leaves the session store's table and a third-party component's table out of the migration", async () => {
        await writeFirst()
      })

      for (const target of up) {
        it(`runs the first migration on ${target.name}, where sessions then work and nothing is left to diff`, async () => {
          await runFirstOn.get(target.name)!()
        })
      }

      it('writes a second migration for changed entities (columns added, dropped and widened, a key and a table added, a table dropped)', async () => {
        await writeSecond()
      })

      for (const target of up) {
        it(`runs the second migration on ${target.name}, over the first, and undoes it`, async () => {
          // The first version ran there, with its rows (the first migration's case), and the second is written.
          const url = await runFirstOn.get(target.name)!()
          const { migrations } = await writeSecond()
          const migrated = await db(['migrate'], { url, migrations, version: 2 })
          expect(migrated.err).toBe('')
          expect(migrated.code).toBe(0)
          expect(await db(['migration:create'], { url, migrations, version: 2 })).toEqual(noChanges)
          // The first version's rows are still there, the book still pointing at its author.
          const check = await createApp(portableConfig({ url, migrations, version: 2 }))
          try {
            const books = await check.resolve(Orm).execute<{ name: string }>('select a.name from portable_book b join portable_author a on a.id = b.author_id')
            expect(books).toEqual([{ name: 'first' }])
          } finally {
            await check.close()
          }

          // Its down step runs there too, and the second migration again after it.
          expect(await db(['migrate:down'], { url, migrations, version: 2 })).toMatchObject({ code: 0, err: '' })
          expect(await db(['migrate'], { url, migrations, version: 2 })).toMatchObject({ code: 0, err: '' })
          expect(await db(['migration:create'], { url, migrations, version: 2 })).toEqual(noChanges)

          const app = await createApp(portableConfig({ url, migrations, version: 2 }))
          try {
            await checkApp(app, 'second')
            // The widened column takes what the first version's could not, and the new table takes a row.
            expect((await createTestClient(app).post(`/authors/${'x'.repeat(140)}`)).status).toBe(201)
            await app.resolve(Orm).execute('insert into portable_shelf (room) values (?)', ['attic'])
          } finally {
            await app.close()
          }
        })
      }
    })
  }
})

describe('portable migrations written on SQLite with migrations.snapshot', () => {
  it('still see a string widened, which SQLite itself would not tell apart', async () => {
    const migrations = mkdtempSync(join(import.meta.dirname, '.portable-migrations-'))
    folders.push(migrations)
    const url = join(scratch, 'snapshot.db')
    const write = async (version: 1 | 2) => {
      const app = await createApp(portableConfig({ url, migrations, version, snapshot: true }))
      try {
        const orm = app.resolve(MikroOrm)
        const { fileName } = await orm.createMigration({ name: `v${version}` })
        await orm.migrate()
        return readFileSync(join(migrations, fileName), 'utf8')
      } finally {
        await app.close()
      }
    }
    await write(1)
    expect(readdirSync(migrations)).toContain('.schema-snapshot.json')
    const second = await write(2)
    expect(second).toContain("t.specificType('name', this.#type('string', { length: 150 })).notNullable().alter()")
  })
})

describe.skipIf(up.length === 0)('the fullstack scaffold, as issue 7 reported it', () => {
  // A project as `dovetail new` makes it: the Note entity, its hand-written first migration, and
  // sessions in the sql store. Once migrated and used, migration:create must find nothing to do,
  // where it used to write a migration dropping the session table, in SQLite's SQL.
  const scaffold = join(import.meta.dirname, '..', '..', 'presets', 'fullstack', 'scaffold', 'base')
  const project = mkdtempSync(join(import.meta.dirname, '.portable-migrations-'))
  folders.push(project)
  const name = 'Migration20250601120000_notes'
  writeFileSync(join(project, `${name}.ts`), readFileSync(join(scaffold, 'migrations', 'Migration{{timestamp}}_notes.ts'), 'utf8').replaceAll('{{timestamp}}', '20250601120000'))
  // The entities are the MikroORM choice's file (the scaffold's orm/<choice>/ overlays base/).
  writeFileSync(join(project, 'entities.ts'), readFileSync(join(scaffold, '..', 'orm', 'mikro-orm', 'entities.ts'), 'utf8'))
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

  for (const database of up) {
    it(`finds nothing to migrate on ${database.name} after the first migration, and leaves the sessions alone`, async () => {
      const { Note } = (await import(join(project, 'entities.ts'))) as { Note: never }
      const migration = (await import(join(project, `${name}.ts`)))[name] as never
      const url = await database.fresh(`scaffold_${database.name.toLowerCase()}`)
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: {
            orm: mikroOrm({ url, entities: [Note], migrations: { path: project, list: [{ name, class: migration }] } }),
            'session-store': sqlStore(),
            middleware: [sessionMiddleware({ secrets: ['portable-migrations-secret-0123456789-abcdef'] })],
          },
          register: (c) => void c.value(Logger, quiet),
          routes(r) {
            r.post('/visit', async (ctx) => {
              const s = await session<{ n: number }>(ctx)
              s.set('n', (s.get('n') ?? 0) + 1)
              return ctx.json({ n: s.get('n') })
            })
          },
        }),
      )
      try {
        const orm = app.resolve(MikroOrm)
        expect(await orm.migrate()).toEqual([name])
        expect((await createTestClient(app).post('/visit')).status).toBe(200)
        expect(await orm.createMigration()).toEqual({ fileName: '', className: '', path: '', up: [], notes: [] })
        expect(readdirSync(project).filter((f) => f.startsWith('Migration'))).toEqual([`${name}.ts`])
        expect(await orm.execute('select id from dovetail_sessions')).toHaveLength(1)
      } finally {
        await app.close()
      }
    })
  }
})
