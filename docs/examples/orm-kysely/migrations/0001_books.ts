import { withIdColumn } from 'dovetailjs/components/orm/kysely'
import type { Kysely } from 'kysely'

/** The books table: Kysely's schema builder writes each database's own SQL, and `withIdColumn` the numbered id (serial on PostgreSQL, AUTO_INCREMENT elsewhere). */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db.schema.createTable('kybook'), db)
    .addColumn('isbn', 'varchar(20)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('kybook').execute()
}
