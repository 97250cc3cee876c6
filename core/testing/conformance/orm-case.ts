import { randomBytes } from 'node:crypto'
import type { App } from '../../app/app.js'
import { createApp } from '../../app/create-app.js'
import type { Component } from '../../component/define-component.js'
import type { ComponentSpec } from '../../config/define-config.js'
import { Db, Orm, type UnitOfWork } from '../../slots/orm.js'

/**
 * What the ORM suite asks the component under test to be set up with. Every
 * name is fresh for each case.
 */
export interface OrmFixture {
  /**
   * The table of the one entity: `id`, an integer primary key the suite
   * assigns (not generated), and `title`, a string of up to 100 characters,
   * not null and unique. Column names as written.
   */
  readonly entityTable: string
  /**
   * The one migration `migrate()` must run: named `name`, its up creates
   * `table` with one column, `id` integer primary key, and its down drops it.
   */
  readonly migration: { readonly name: string; readonly table: string }
  /**
   * Where the implementation may record which migrations ran (its bookkeeping
   * table). Any table whose name starts with `prefix` (a lock table beside
   * it, say) is dropped after the case too.
   */
  readonly migrationsTable: string
  /** What every table name of the case starts with. */
  readonly prefix: string
}

/** One case's app and helpers; everything it creates is dropped when the case ends. */
export interface OrmCase<W extends UnitOfWork> {
  app: App
  orm: Orm<W>
  fixture: OrmFixture
  /** The requests' units of work, two per request to `GET /db`. */
  seen: UnitOfWork[][]
  request(method: string, path: string): Promise<Response>
  /** Create the entity's table with plain SQL, as the entity describes it, without the schema tools. */
  createItems(): Promise<void>
  insert(id: number, title: string, within?: W): Promise<unknown[]>
  /** The entity table's titles by id, read on the ORM's own connection or `within` a unit of work. */
  titles(within?: W): Promise<string[]>
  stage(unitOfWork: W, row: { id: number; title: string }): Promise<void>
  /** A fresh table name for the case's own use, dropped at its end. */
  sideTable(label: string): string
}

interface CaseOptions<W extends UnitOfWork> {
  createComponent: (fixture: OrmFixture) => Component
  stage: (unitOfWork: W, row: { id: number; title: string }, fixture: OrmFixture) => void | Promise<void>
  container?: ComponentSpec
}

/**
 * Run one case in an app of its own on fresh table names, then drop every
 * table the case may have made and close the app, whether the case passed or
 * not. This is what makes each case independent of the others.
 */
export async function withOrmCase<W extends UnitOfWork>(options: CaseOptions<W>, use: (t: OrmCase<W>) => Promise<void>): Promise<void> {
  const prefix = `orm_kit_${randomBytes(4).toString('hex')}`
  const fixture: OrmFixture = {
    entityTable: `${prefix}_items`,
    migration: { name: `Migration_${prefix}`, table: `${prefix}_migrated` },
    migrationsTable: `${prefix}_migrations`,
    prefix,
  }
  const tables = [fixture.entityTable, fixture.migration.table, fixture.migrationsTable]
  const seen: UnitOfWork[][] = []
  let orm: Orm<W> | undefined
  const insert = (id: number, title: string, within?: W) => orm!.execute(`insert into ${fixture.entityTable} (id, title) values (?, ?)`, [id, title], within)

  const app = await createApp({
    environment: 'test',
    components: { ...(options.container === undefined ? {} : { container: options.container }), orm: options.createComponent(fixture) },
    routes(r) {
      r.get('/db', (ctx) => {
        seen.push([ctx.resolve(Db), ctx.resolve(Db)])
        return ctx.text('ok')
      })
      r.post('/left-open', async (ctx) => {
        const db = ctx.resolve(Db) as W
        await db.begin()
        await insert(1, 'left open', db)
        return ctx.text('never committed')
      })
    },
  })
  orm = app.resolve(Orm) as Orm<W>
  const live = orm
  try {
    await use({
      app,
      orm: live,
      fixture,
      seen,
      request: (method, path) => app.fetch(new Request(`http://localhost${path}`, { method })),
      createItems: async () => {
        await live.execute(`create table ${fixture.entityTable} (id integer not null primary key, title varchar(100) not null unique)`)
      },
      insert,
      titles: async (within) =>
        (await live.execute<{ title: string }>(`select title from ${fixture.entityTable} order by id`, [], within)).map((row) => row.title),
      stage: async (unitOfWork, row) => options.stage(unitOfWork, row, fixture),
      sideTable: (label) => {
        const name = `${prefix}_${label}`
        tables.push(name)
        return name
      },
    })
  } finally {
    try {
      if (await live.isConnected()) {
        for (const table of new Set([...tables, ...(await tablesStartingWith(live, prefix))])) await live.execute(`drop table if exists ${table}`)
      }
    } finally {
      await app.close()
    }
  }
}

/** The tables in the connection's own schema whose names start with `prefix`, whatever made them. */
async function tablesStartingWith<W extends UnitOfWork>(orm: Orm<W>, prefix: string): Promise<string[]> {
  const like = `${prefix}%`
  const sql =
    orm.dialect === 'sqlite'
      ? `select name from sqlite_master where type = 'table' and name like ?`
      : orm.dialect === 'postgresql'
        ? `select table_name as name from information_schema.tables where table_schema = current_schema() and table_name like ?`
        : `select table_name as name from information_schema.tables where table_schema = database() and table_name like ?`
  return (await orm.execute<{ name: string }>(sql, [like])).map((row) => row.name)
}
