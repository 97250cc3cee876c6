import { type CreateTableBuilder, type Kysely, PostgresAdapter, SqliteAdapter } from 'kysely'

/**
 * Adds an auto-numbered integer primary key to a table being created, in the
 * SQL of the database `db` runs on, for migrations that run on all three.
 * Kysely's `autoIncrement()` writes `AUTO_INCREMENT`, which SQLite and MySQL
 * take and PostgreSQL refuses; PostgreSQL's own form is `serial` (`bigserial`
 * with `big`). SQLite's integers are 64-bit already, and it takes
 * AUTOINCREMENT on `integer` only, so `big` changes nothing there.
 *
 * @example
 * await withIdColumn(db.schema.createTable('note'), db)
 *   .addColumn('text', 'varchar(500)', (c) => c.notNull())
 *   .execute()
 */
export function withIdColumn<TB extends string, C extends string = never>(
  table: CreateTableBuilder<TB, C>,
  db: Kysely<any>,
  options: { name?: string; big?: boolean } = {},
): CreateTableBuilder<TB, C | string> {
  const name = options.name ?? 'id'
  const adapter = db.getExecutor().adapter
  if (adapter instanceof PostgresAdapter) return table.addColumn(name, options.big ? 'bigserial' : 'serial', (c) => c.primaryKey())
  const type = options.big && !(adapter instanceof SqliteAdapter) ? 'bigint' : 'integer'
  return table.addColumn(name, type, (c) => c.primaryKey().autoIncrement())
}
