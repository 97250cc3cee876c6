import type { Kysely } from 'kysely'

/** The note table. Kysely's schema builder writes the SQL of the database it runs on. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('note')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('text', 'varchar(500)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('note').execute()
}
