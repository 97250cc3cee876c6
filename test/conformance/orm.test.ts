import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EntitySchema } from '@mikro-orm/core'
import type { SqlEntityManager } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'
import { afterAll } from 'vitest'
import { mikroOrm, type MikroOrmOptions } from 'dovetailjs/components/orm/mikro-orm'
import { type OrmFixture, runOrmConformance } from 'dovetailjs/testing/conformance'
import { services, serviceAvailable } from '../support/services.js'

/** The suite's fixture in MikroORM terms: its entity as an EntitySchema, its migration as a class. */
const fixtureOptions = (fixture: OrmFixture): Pick<MikroOrmOptions, 'entities' | 'migrations'> => ({
  entities: [
    new EntitySchema({
      name: 'ConformanceItem',
      tableName: fixture.entityTable,
      properties: { id: { type: 'integer', primary: true, autoincrement: false }, title: { type: 'string', length: 100, unique: true } },
    }),
  ],
  migrations: {
    tableName: fixture.migrationsTable,
    list: [
      {
        name: fixture.migration.name,
        class: class extends Migration {
          override async up(): Promise<void> {
            this.addSql(`create table ${fixture.migration.table} (id integer not null primary key)`)
          }
        },
      },
    ],
  },
})

const stage = (em: SqlEntityManager, row: { id: number; title: string }) => void em.persist(em.create('ConformanceItem', row))

const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-conformance-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const sqlite = (fixture: OrmFixture) => mikroOrm({ url: join(dir, `conformance-${++files}.db`), ...fixtureOptions(fixture) })
runOrmConformance<SqlEntityManager>({ name: 'orm/mikro-orm on SQLite', createComponent: sqlite, stage })
// The suite takes the container as the app's choice; once on the other built-in shows it does not matter.
runOrmConformance<SqlEntityManager>({ name: 'orm/mikro-orm on SQLite, inversify container', createComponent: sqlite, stage, container: 'inversify' })

if (await serviceAvailable('postgres')) {
  runOrmConformance<SqlEntityManager>({
    name: 'orm/mikro-orm on PostgreSQL',
    createComponent: (fixture) => mikroOrm({ url: services.postgres.url, ...fixtureOptions(fixture) }),
    stage,
  })
}

if (await serviceAvailable('mariadb')) {
  runOrmConformance<SqlEntityManager>({
    name: 'orm/mikro-orm on MariaDB',
    createComponent: (fixture) => mikroOrm({ url: services.mariadb.url, driver: 'mariadb', ...fixtureOptions(fixture) }),
    stage,
  })
}
