import type { Kysely } from 'kysely'

/** The books table: Kysely's schema builder writes each database's own SQL (serial on PostgreSQL, autoincrement elsewhere). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('kybook')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('isbn', 'varchar(20)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kybook').execute()
}
