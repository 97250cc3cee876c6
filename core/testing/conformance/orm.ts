import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { App } from '../../app/app.js'
import { createApp } from '../../app/create-app.js'
import type { Component } from '../../component/define-component.js'
import type { UnitOfWork } from '../../slots/orm.js'
import { Db, Orm } from '../../slots/orm.js'

export interface OrmConformanceOptions {
  /** Shown in the test names, e.g. `'orm/mikro-orm on PostgreSQL'`. */
  name: string
  /** The component under test, configured for a database the suite may create a table in. */
  createComponent: () => Component
}

/**
 * The orm slot's contract as a test suite, through a real app on both
 * containers. It speaks only the contract (`Orm`, `Db`, raw SQL with `?`
 * placeholders), so any ORM component can run it; each run works in a table
 * of its own (`orm_conformance_<random>`), dropped at the end.
 *
 * @example
 * // test/conformance/orm.test.ts
 * import { runOrmConformance } from 'dovetailjs/testing/conformance'
 * import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
 * runOrmConformance({ name: 'orm/mikro-orm on SQLite', createComponent: () => mikroOrm({ url: ':memory:' }) })
 */
export function runOrmConformance(options: OrmConformanceOptions): void {
  for (const container of ['awilix', 'inversify'] as const) {
    describe(`orm conformance: ${options.name} (${container})`, () => {
      const table = `orm_conformance_${randomBytes(4).toString('hex')}`
      const seen: UnitOfWork[][] = []
      let app: App
      let orm: Orm

      const names = async (): Promise<string[]> => (await orm.execute<{ name: string }>(`select name from ${table} order by id`)).map((r) => r.name)
      const insert = (id: number, name: string, within?: UnitOfWork) => orm.execute(`insert into ${table} (id, name) values (?, ?)`, [id, name], within)

      beforeAll(async () => {
        app = await createApp({
          environment: 'test',
          components: { container, orm: options.createComponent() },
          routes(r) {
            r.get('/same', (ctx) => {
              seen.push([ctx.resolve(Db), ctx.resolve(Db)])
              return ctx.text('ok')
            })
            r.post('/left-open/:id', async (ctx) => {
              const db = ctx.resolve(Db)
              await db.begin()
              await insert(Number(ctx.params.id), 'left open', db)
              return ctx.text('never committed')
            })
          },
        })
        orm = app.resolve(Orm)
        await orm.execute(`create table ${table} (id integer not null primary key, name varchar(50) not null unique)`)
      })

      afterAll(async () => {
        if (!app) return
        if (await orm.isConnected()) await orm.execute(`drop table ${table}`)
        await app.close()
      })

      it('names itself and its dialect, and is connected once started', async () => {
        expect(typeof orm.name).toBe('string')
        expect(['sqlite', 'postgresql', 'mysql', 'mariadb']).toContain(orm.dialect)
        expect(await orm.isConnected()).toBe(true)
      })

      it('runs raw SQL with ? placeholders, giving rows back', async () => {
        await insert(1, 'first')
        await insert(2, "it's quoted")
        expect(await names()).toEqual(['first', "it's quoted"])
        expect(await orm.execute(`select name from ${table} where id = ?`, [2])).toEqual([{ name: "it's quoted" }])
        expect(await orm.execute(`update ${table} set name = ? where id = ?`, ['first!', 1])).toEqual([])
        expect(await names()).toEqual(['first!', "it's quoted"])
      })

      it('recognises a unique-constraint violation, and only that', async () => {
        const duplicate = await insert(3, 'first!').then(() => undefined, (e: unknown) => e)
        expect(duplicate).toBeDefined()
        expect(orm.isUniqueViolation(duplicate)).toBe(true)
        const notNull = await orm.execute(`insert into ${table} (id, name) values (?, ?)`, [4, null]).then(() => undefined, (e: unknown) => e)
        expect(notNull).toBeDefined()
        expect(orm.isUniqueViolation(notNull)).toBe(false)
        expect(orm.isUniqueViolation(new Error('duplicate key value'))).toBe(false)
      })

      it('forks units of work that commit and roll back on their own', async () => {
        const a = orm.fork()
        const b = orm.fork()
        expect(a).not.toBe(b)
        await a.begin()
        expect(a.isInTransaction()).toBe(true)
        expect(b.isInTransaction()).toBe(false)
        await insert(10, 'rolled back', a)
        await a.rollback()
        expect(a.isInTransaction()).toBe(false)
        await b.begin()
        await insert(11, 'committed', b)
        await b.commit()
        expect(await names()).toEqual(['first!', "it's quoted", 'committed'])
      })

      it('gives one Db per request, the same throughout it', async () => {
        await app.fetch(new Request('http://localhost/same'))
        await app.fetch(new Request('http://localhost/same'))
        const [first, second] = seen
        expect(first![0]).toBe(first![1])
        expect(second![0]).toBe(second![1])
        expect(first![0]).not.toBe(second![0])
      })

      it('rolls back a transaction a request left open, when the request ends', async () => {
        expect((await app.fetch(new Request('http://localhost/left-open/20', { method: 'POST' }))).status).toBe(200)
        expect(await names()).not.toContain('left open')
      })

      it('closes the database at app.close()', async () => {
        await orm.execute(`drop table ${table}`)
        await app.close()
        expect(await orm.isConnected()).toBe(false)
      })
    })
  }
}
