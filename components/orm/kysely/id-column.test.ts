import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createApp, defineConfig } from 'dovetailjs'
import { kysely, KyselyOrm, withIdColumn } from 'dovetailjs/components/orm/kysely'
import { serviceAvailable, services } from '../../../test/support/services.js'

const databases = [
  { name: 'SQLite', url: ':memory:', service: undefined },
  { name: 'PostgreSQL', url: services.postgres.url, service: 'postgres' as const },
  { name: 'MariaDB', url: services.mariadb.url, service: 'mariadb' as const },
]

for (const database of databases) {
  const available = database.service ? await serviceAvailable(database.service) : true
  describe.skipIf(!available)(`withIdColumn on ${database.name}`, () => {
    it('makes a primary key numbered by the database, 1 then 2, for a small and a big id', async () => {
      const app = await createApp(defineConfig({ environment: 'test', components: { orm: kysely({ url: database.url }) } }))
      const db = app.container.resolve(KyselyOrm).native
      const tables = [`idcol_${randomBytes(4).toString('hex')}`, `idcol_big_${randomBytes(4).toString('hex')}`]
      try {
        await withIdColumn(db.schema.createTable(tables[0]!), db).addColumn('label', 'varchar(20)').execute()
        await withIdColumn(db.schema.createTable(tables[1]!), db, { name: 'num', big: true }).addColumn('label', 'varchar(20)').execute()
        for (const [table, id] of [[tables[0]!, 'id'], [tables[1]!, 'num']] as const) {
          await db.insertInto(table).values({ label: 'first' }).execute()
          await db.insertInto(table).values({ label: 'second' }).execute()
          const rows = await db.selectFrom(table).select([id, 'label']).orderBy(id).execute()
          expect(rows.map((row) => [Number(row[id]), row.label])).toEqual([
            [1, 'first'],
            [2, 'second'],
          ])
        }
      } finally {
        for (const table of tables) await db.schema.dropTable(table).ifExists().execute()
        await app.close()
      }
    })
  })
}
