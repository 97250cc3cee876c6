import { describe, expect, it } from 'vitest'
import type { Component } from '../../component/define-component.js'
import type { ComponentSpec } from '../../config/define-config.js'
import type { UnitOfWork } from '../../slots/orm.js'
import { type OrmCase, type OrmFixture, withOrmCase } from './orm-case.js'

export type { OrmFixture } from './orm-case.js'

export interface OrmConformanceOptions<W extends UnitOfWork = UnitOfWork> {
  /** Shown in the test names, e.g. `'orm/mikro-orm on PostgreSQL'`. */
  name: string
  /**
   * The component under test, for a database the suite may create and drop
   * tables in, set up with what `fixture` describes: one entity on
   * `fixture.entityTable` and one migration. Called once per case, with fresh
   * names each time, so no case sees another's tables. A SQLite component
   * may take a fresh file each time.
   */
  createComponent: (fixture: OrmFixture) => Component
  /**
   * Make a change through the ORM's own API: a new row for `row` in
   * `fixture.entityTable`, the way an app would (MikroORM:
   * `em.persist(em.create('ConformanceItem', row))`, held until flush;
   * Kysely: `await db.insertInto(fixture.entityTable).values(row).execute()`,
   * written at once, in the unit's transaction if it has one). The contract
   * has no way to make a change, so the suite asks for this one.
   */
  stage: (unitOfWork: W, row: { id: number; title: string }, fixture: OrmFixture) => void | Promise<void>
  /**
   * When the unit of work writes a change made through `stage`: `'on-flush'`
   * for an ORM that holds changes until `flush()` (MikroORM's identity map),
   * `'at-once'` for one that writes each as it is made (Kysely). The suite
   * checks the promise that goes with it: held changes are not written
   * before `flush()` and are dropped by `clear()`; written ones are there
   * at once and `clear()` leaves them.
   */
  writes: 'on-flush' | 'at-once'
  /**
   * The container component the apps run on. The suite is container-agnostic:
   * leave it out for the preset's default, or name the one your app uses.
   * @default the `minimal` preset's container
   */
  container?: ComponentSpec
}

/**
 * The orm slot's contract as a test suite: every member of `Orm`, of the
 * `UnitOfWork` it forks, and of the request-scoped `Db`, including the
 * table ownership (`ownTables`/`ownedTables`) and the optional
 * `migrateDown`/`migrationStatus` (skipped when the implementation lacks
 * them). It speaks only the contract and SQL with `?` placeholders, so any
 * ORM component can run it, whether it holds changes until `flush()` or
 * writes them at once (`writes`).
 *
 * Each case builds its own app on fresh table names, drops what it created
 * and closes the app, so each passes alone (`vitest -t '<case name>'`) and in
 * any order.
 *
 * @example
 * // test/conformance/orm.test.ts
 * import { EntitySchema } from '@mikro-orm/core'
 * import { Migration } from '@mikro-orm/migrations'
 * import type { SqlEntityManager } from '@mikro-orm/knex'
 * import { runOrmConformance } from 'dovetailjs/testing/conformance'
 * import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
 *
 * runOrmConformance<SqlEntityManager>({
 *   name: 'orm/mikro-orm on PostgreSQL',
 *   createComponent: (fixture) => mikroOrm({
 *     url: 'postgresql://postgres@127.0.0.1/test',
 *     entities: [new EntitySchema({ name: 'ConformanceItem', tableName: fixture.entityTable, properties: {
 *       id: { type: 'integer', primary: true, autoincrement: false }, title: { type: 'string', length: 100, unique: true } } })],
 *     migrations: { tableName: fixture.migrationsTable, list: [{ name: fixture.migration.name, class: class extends Migration {
 *       override async up() { this.addSql(`create table ${fixture.migration.table} (id integer not null primary key)`) } } }] },
 *   }),
 *   stage: (em, row) => void em.persist(em.create('ConformanceItem', row)),
 *   writes: 'on-flush',
 * })
 */
export function runOrmConformance<W extends UnitOfWork = UnitOfWork>(options: OrmConformanceOptions<W>): void {
  const run = (use: (t: OrmCase<W>) => Promise<void>) => withOrmCase(options, use)
  const holds = options.writes === 'on-flush'

  describe(`orm conformance: ${options.name}`, () => {
    describe('the handle', () => {
      it('names itself and its dialect, and exposes the native ORM object', () =>
        run(async ({ orm }) => {
          expect(orm.name).toMatch(/\S/)
          expect(['sqlite', 'postgresql', 'mysql', 'mariadb']).toContain(orm.dialect)
          expect(orm.native).toBeTypeOf('object')
          expect(orm.native).not.toBeNull()
        }))

      it('isConnected() is true once the app has started', () =>
        run(async ({ orm }) => {
          expect(await orm.isConnected()).toBe(true)
        }))

      it('close() releases the database: app.close() calls it, and isConnected() is false after', () =>
        run(async ({ app, orm }) => {
          await app.close()
          expect(await orm.isConnected()).toBe(false)
        }))
    })

    describe('execute', () => {
      it('runs SQL with ? placeholders and gives rows back as objects', () =>
        run(async ({ orm, createItems, fixture }) => {
          await createItems()
          await orm.execute(`insert into ${fixture.entityTable} (id, title) values (?, ?)`, [1, "it's quoted"])
          expect(await orm.execute(`select id, title from ${fixture.entityTable} where title = ?`, ["it's quoted"])).toEqual([{ id: 1, title: "it's quoted" }])
        }))

      it('answers an empty list for a statement that returns no rows', () =>
        run(async ({ orm, createItems, fixture, insert }) => {
          await createItems()
          expect(await insert(1, 'first')).toEqual([])
          expect(await orm.execute(`update ${fixture.entityTable} set title = ? where id = ?`, ['renamed', 1])).toEqual([])
          expect(await orm.execute(`delete from ${fixture.entityTable} where id = ?`, [2])).toEqual([])
        }))

      it('runs within a unit of work, inside its transaction', () =>
        run(async ({ orm, createItems, titles, insert }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await insert(1, 'inside', work)
          expect(await titles(work)).toEqual(['inside'])
          await work.rollback()
          expect(await titles()).toEqual([])
        }))
    })

    describe('isUniqueViolation', () => {
      it('is true for a duplicate key from execute', () =>
        run(async ({ orm, createItems, insert }) => {
          await createItems()
          await insert(1, 'same')
          const error = await insert(2, 'same').then(() => undefined, (e: unknown) => e)
          expect(error).toBeDefined()
          expect(orm.isUniqueViolation(error)).toBe(true)
        }))

      it('is true for a duplicate key from a change made through the ORM (at once, or on flush)', () =>
        run(async ({ orm, createItems, stage }) => {
          await createItems()
          const work = orm.fork()
          const error = await (async () => {
            await stage(work, { id: 1, title: 'same' })
            await stage(work, { id: 2, title: 'same' })
            await work.flush()
          })().then(() => undefined, (e: unknown) => e)
          expect(error).toBeDefined()
          expect(orm.isUniqueViolation(error)).toBe(true)
        }))

      it('is false for other database errors and for plain errors', () =>
        run(async ({ orm, createItems, fixture }) => {
          await createItems()
          const notNull = await orm.execute(`insert into ${fixture.entityTable} (id, title) values (?, ?)`, [1, null]).then(() => undefined, (e: unknown) => e)
          expect(notNull).toBeDefined()
          expect(orm.isUniqueViolation(notNull)).toBe(false)
          const noTable = await orm.execute(`select * from ${fixture.entityTable}_missing`).then(() => undefined, (e: unknown) => e)
          expect(noTable).toBeDefined()
          expect(orm.isUniqueViolation(noTable)).toBe(false)
          expect(orm.isUniqueViolation(new Error('duplicate key value violates unique constraint'))).toBe(false)
          expect(orm.isUniqueViolation(undefined)).toBe(false)
        }))
    })

    describe('units of work', () => {
      it('fork() gives units that share no transaction and no pending changes', () =>
        run(async ({ orm, createItems, stage, titles }) => {
          await createItems()
          const a = orm.fork()
          const b = orm.fork()
          expect(a).not.toBe(b)
          await a.begin()
          expect(a.isInTransaction()).toBe(true)
          expect(b.isInTransaction()).toBe(false)
          await stage(a, { id: 1, title: 'in a’s transaction' })
          // b neither flushes nor commits what a did, and a's rollback undoes it for everyone.
          await b.flush()
          await a.rollback()
          expect(await titles()).toEqual([])
          await stage(a, { id: 1, title: 'staged in a' })
          await b.flush()
          expect(await titles()).toEqual(holds ? [] : ['staged in a'])
          await a.flush()
          expect(await titles()).toEqual(['staged in a'])
        }))

      it(holds ? 'flush() writes the pending changes, not before' : 'a change is written at once, and flush() keeps it', () =>
        run(async ({ orm, createItems, stage, titles }) => {
          await createItems()
          const work = orm.fork()
          await stage(work, { id: 1, title: 'flushed' })
          expect(await titles()).toEqual(holds ? [] : ['flushed'])
          await work.flush()
          expect(await titles()).toEqual(['flushed'])
        }))

      it('begin() opens a transaction that isInTransaction() reports until commit()', () =>
        run(async ({ orm, createItems, insert, titles }) => {
          await createItems()
          const work = orm.fork()
          expect(work.isInTransaction()).toBe(false)
          await work.begin()
          expect(work.isInTransaction()).toBe(true)
          await insert(1, 'committed', work)
          await work.commit()
          expect(work.isInTransaction()).toBe(false)
          expect(await titles()).toEqual(['committed'])
        }))

      it('a transaction begun and ended without a query commits or rolls back cleanly', () =>
        run(async ({ orm, createItems, insert, titles }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await work.commit()
          await work.begin()
          await work.rollback()
          expect(work.isInTransaction()).toBe(false)
          // The unit is still usable, on its own connection and in a new transaction.
          await insert(1, 'after', work)
          await work.begin()
          await insert(2, 'in the second', work)
          await work.commit()
          expect(await titles()).toEqual(['after', 'in the second'])
        }))

      it('commit() writes the changes made in the transaction', () =>
        run(async ({ orm, createItems, stage, titles }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await stage(work, { id: 1, title: 'staged then committed' })
          await work.commit()
          expect(await titles()).toEqual(['staged then committed'])
        }))

      it('rollback() undoes what the transaction wrote and forgets its pending changes', () =>
        run(async ({ orm, createItems, stage, insert, titles }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await insert(1, 'written, then rolled back', work)
          await stage(work, { id: 2, title: 'staged, then rolled back' })
          await work.rollback()
          expect(work.isInTransaction()).toBe(false)
          await work.flush()
          expect(await titles()).toEqual([])
        }))

      // An implementation may open the transaction on the first query: these hold whichever query comes first.
      it('when the first query after begin() writes (a flush), rollback() undoes it', () =>
        run(async ({ orm, createItems, stage, titles }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await stage(work, { id: 1, title: 'flushed, then rolled back' })
          await work.flush()
          await work.rollback()
          expect(await titles()).toEqual([])
        }))

      it('first queries sent together after begin() run in the one transaction', () =>
        run(async ({ orm, createItems, insert, titles }) => {
          await createItems()
          const work = orm.fork()
          await work.begin()
          await Promise.all([insert(1, 'one', work), insert(2, 'two', work), insert(3, 'three', work)])
          expect(await titles(work)).toEqual(['one', 'two', 'three'])
          await work.rollback()
          expect(await titles()).toEqual([])
        }))

      it(holds ? 'clear() forgets the pending changes' : 'clear() leaves what was written', () =>
        run(async ({ orm, createItems, stage, titles }) => {
          await createItems()
          const work = orm.fork()
          await stage(work, { id: 1, title: 'cleared' })
          work.clear()
          await work.flush()
          expect(await titles()).toEqual(holds ? [] : ['cleared'])
        }))
    })

    describe('Db, the request’s unit of work', () => {
      it('is one unit of work per request, the same throughout it, another in the next request', () =>
        run(async ({ request, seen }) => {
          await request('GET', '/db')
          await request('GET', '/db')
          const [first, second] = seen
          expect(first![0]).toBe(first![1])
          expect(second![0]).toBe(second![1])
          expect(first![0]).not.toBe(second![0])
          for (const method of ['flush', 'begin', 'commit', 'rollback', 'isInTransaction', 'clear'] as const) {
            expect(first![0]![method]).toBeTypeOf('function')
          }
        }))

      it('a transaction a request left open is rolled back when the request ends', () =>
        run(async ({ request, createItems, titles }) => {
          await createItems()
          expect((await request('POST', '/left-open')).status).toBe(200)
          expect(await titles()).toEqual([])
        }))
    })

    describe('schema', () => {
      it('createSchema() creates the entities’ tables', () =>
        run(async ({ orm, insert, titles }) => {
          await orm.createSchema()
          await insert(1, 'in a created table')
          expect(await titles()).toEqual(['in a created table'])
          expect(orm.isUniqueViolation(await insert(2, 'in a created table').then(() => undefined, (e: unknown) => e))).toBe(true)
        }))

      it('updateSchema() creates a missing table', () =>
        run(async ({ orm, insert, titles }) => {
          await orm.updateSchema()
          await insert(1, 'in an updated schema')
          expect(await titles()).toEqual(['in an updated schema'])
        }))

      it('updateSchema() adds missing columns and drops nothing the entities do not name', () =>
        run(async ({ orm, fixture, sideTable, titles }) => {
          await orm.execute(`create table ${fixture.entityTable} (id integer not null primary key, legacy varchar(20))`)
          const side = sideTable('kept')
          await orm.execute(`create table ${side} (id integer not null primary key)`)
          await orm.updateSchema()
          await orm.execute(`insert into ${fixture.entityTable} (id, title, legacy) values (?, ?, ?)`, [1, 'now with a title', 'kept'])
          expect(await titles()).toEqual(['now with a title'])
          expect(await orm.execute(`select legacy from ${fixture.entityTable}`)).toEqual([{ legacy: 'kept' }])
          expect(await orm.execute(`select id from ${side}`)).toEqual([])
        }))

      it('dropSchema() drops the entities’ tables and no others', () =>
        run(async ({ orm, fixture, createItems, sideTable }) => {
          await createItems()
          const side = sideTable('kept')
          await orm.execute(`create table ${side} (id integer not null primary key)`)
          await orm.dropSchema()
          await expect(orm.execute(`select id from ${fixture.entityTable}`)).rejects.toThrow()
          expect(await orm.execute(`select id from ${side}`)).toEqual([])
        }))

      it('migrate() runs the pending migrations once, returning their names in order', () =>
        run(async ({ orm, fixture }) => {
          expect(await orm.migrate()).toEqual([fixture.migration.name])
          expect(await orm.execute(`select id from ${fixture.migration.table}`)).toEqual([])
          expect(await orm.migrate()).toEqual([])
        }))

      it('migrationStatus() and migrateDown() (optional) list, then undo, the last migration', ({ skip }) =>
        run(async ({ orm, fixture }) => {
          if (!orm.migrationStatus || !orm.migrateDown) return skip('this implementation does not offer migrationStatus and migrateDown')
          expect(await orm.migrationStatus()).toEqual({ executed: [], pending: [fixture.migration.name] })
          await orm.migrate()
          expect(await orm.migrationStatus()).toEqual({ executed: [fixture.migration.name], pending: [] })
          expect(await orm.migrateDown()).toEqual([fixture.migration.name])
          await expect(orm.execute(`select id from ${fixture.migration.table}`)).rejects.toThrow()
          expect(await orm.migrationStatus()).toEqual({ executed: [], pending: [fixture.migration.name] })
          expect(await orm.migrateDown()).toEqual([])
        }))
    })

    describe('tables a component keeps (ownTables, ownedTables)', () => {
      it('ownedTables() lists the declarations in order; the same declaration twice is one', () =>
        run(async ({ orm, fixture }) => {
          orm.ownTables('acme-one', [`${fixture.entityTable}_a`, `${fixture.entityTable}_b`])
          orm.ownTables('acme-two', [`${fixture.entityTable}_c`])
          orm.ownTables('acme-one', [`${fixture.entityTable}_a`])
          expect(orm.ownedTables()).toEqual([
            { name: `${fixture.entityTable}_a`, owner: 'acme-one' },
            { name: `${fixture.entityTable}_b`, owner: 'acme-one' },
            { name: `${fixture.entityTable}_c`, owner: 'acme-two' },
          ])
        }))

      it('a table declared by two owners is refused, naming both', () =>
        run(async ({ orm, fixture }) => {
          orm.ownTables('acme-one', [`${fixture.entityTable}_a`])
          expect(() => orm.ownTables('acme-two', [`${fixture.entityTable}_a`])).toThrow(/acme-one[\s\S]*acme-two|acme-two[\s\S]*acme-one/)
        }))

      it('the schema tools leave a declared table alone, even one an entity maps', () =>
        run(async ({ orm, fixture }) => {
          orm.ownTables('acme-own', [fixture.entityTable])
          await orm.execute(`create table ${fixture.entityTable} (id integer not null primary key, kept varchar(20))`)
          await orm.execute(`insert into ${fixture.entityTable} (id, kept) values (?, ?)`, [1, 'mine'])
          await orm.updateSchema()
          // No title column was added to it...
          await expect(orm.execute(`select title from ${fixture.entityTable}`)).rejects.toThrow()
          await orm.dropSchema()
          // ...and it was not dropped.
          expect(await orm.execute(`select id, kept from ${fixture.entityTable}`)).toEqual([{ id: 1, kept: 'mine' }])
        }))
    })
  })
}
