import { withIdColumn } from 'dovetailjs/components/orm/kysely'
import type { Kysely } from 'kysely'

/**
 * The note table. Kysely's schema builder writes the SQL of the database it
 * runs on; the numbered id is the one column it can't write portably
 * (`withIdColumn`: serial on PostgreSQL, AUTO_INCREMENT elsewhere).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withIdColumn(db.schema.createTable('note'), db)
    .addColumn('text', 'varchar(500)', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('note').execute()
}
