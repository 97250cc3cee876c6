import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { EntitySchema } from '@mikro-orm/core'
import type { SqlEntityManager } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'
import { afterAll } from 'vitest'
import { type KyselyOptions, type KyselyWork, kysely } from 'dovetailjs/components/orm/kysely'
import { mikroOrm, type MikroOrmOptions } from 'dovetailjs/components/orm/mikro-orm'
import { type OrmFixture, runOrmConformance } from 'dovetailjs/testing/conformance'
import { services, serviceAvailable } from '../support/services.js'

/** The suite's fixture in MikroORM terms: its entity as an EntitySchema, its migration as a class. */
const mikroFixture = (fixture: OrmFixture): Pick<MikroOrmOptions, 'entities' | 'migrations'> => ({
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

          override async down(): Promise<void> {
            this.addSql(`drop table ${fixture.migration.table}`)
          }
        },
      },
    ],
  },
})

/** The same fixture in Kysely terms: a declared table for the schema helpers, a migration as { up, down }. */
const kyselyFixture = (fixture: OrmFixture): Pick<KyselyOptions, 'tables' | 'migrations'> => ({
  tables: {
    [fixture.entityTable]: {
      id: { type: 'integer', primaryKey: true },
      title: { type: 'varchar(100)', notNull: true, unique: true },
    },
  },
  migrations: {
    tableName: fixture.migrationsTable,
    list: {
      [fixture.migration.name]: {
        up: async (db) => void (await db.schema.createTable(fixture.migration.table).addColumn('id', 'integer', (c) => c.primaryKey()).execute()),
        down: async (db) => void (await db.schema.dropTable(fixture.migration.table).execute()),
      },
    },
  },
})

const mikroStage = (em: SqlEntityManager, row: { id: number; title: string }) => void em.persist(em.create('ConformanceItem', row))
const kyselyStage = async (db: KyselyWork, row: { id: number; title: string }, fixture: OrmFixture) => {
  await db.insertInto(fixture.entityTable).values(row).execute()
}

const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-conformance-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const sqliteFile = () => join(dir, `conformance-${++files}.db`)
const mikroSqlite = (fixture: OrmFixture) => mikroOrm({ url: sqliteFile(), ...mikroFixture(fixture) })
const kyselySqlite = (fixture: OrmFixture) => kysely({ url: sqliteFile(), ...kyselyFixture(fixture) })

runOrmConformance<SqlEntityManager>({ name: 'orm/mikro-orm on SQLite', createComponent: mikroSqlite, stage: mikroStage, writes: 'on-flush' })
runOrmConformance<KyselyWork>({ name: 'orm/kysely on SQLite', createComponent: kyselySqlite, stage: kyselyStage, writes: 'at-once' })
// The suite takes the container as the app's choice; once on the other built-in shows it does not matter.
runOrmConformance<SqlEntityManager>({ name: 'orm/mikro-orm on SQLite, inversify container', createComponent: mikroSqlite, stage: mikroStage, writes: 'on-flush', container: 'inversify' })

if (await serviceAvailable('postgres')) {
  runOrmConformance<SqlEntityManager>({
    name: 'orm/mikro-orm on PostgreSQL',
    createComponent: (fixture) => mikroOrm({ url: services.postgres.url, ...mikroFixture(fixture) }),
    stage: mikroStage,
    writes: 'on-flush',
  })
  runOrmConformance<KyselyWork>({
    name: 'orm/kysely on PostgreSQL',
    createComponent: (fixture) => kysely({ url: services.postgres.url, ...kyselyFixture(fixture) }),
    stage: kyselyStage,
    writes: 'at-once',
  })
}

if (await serviceAvailable('mariadb')) {
  runOrmConformance<SqlEntityManager>({
    name: 'orm/mikro-orm on MariaDB',
    createComponent: (fixture) => mikroOrm({ url: services.mariadb.url, driver: 'mariadb', ...mikroFixture(fixture) }),
    stage: mikroStage,
    writes: 'on-flush',
  })
  runOrmConformance<KyselyWork>({
    name: 'orm/kysely on MariaDB',
    createComponent: (fixture) => kysely({ url: services.mariadb.url, driver: 'mariadb', ...kyselyFixture(fixture) }),
    stage: kyselyStage,
    writes: 'at-once',
  })
}
