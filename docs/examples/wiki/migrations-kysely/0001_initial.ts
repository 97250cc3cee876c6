import { withIdColumn } from 'dovetailjs/components/orm/kysely'
import { type Kysely, sql } from 'kysely'

/**
 * The wiki's first schema for the Kysely configuration: the same tables as
 * the MikroORM migration (`migrations/`), written with Kysely's schema
 * builder, which speaks the dialect of the database it runs on. `created`
 * holds a timestamp (milliseconds on SQLite, which has no date type).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const timestamp = sql`timestamp`
  await withIdColumn(db.schema.createTable('wiki_user'), db)
    .addColumn('username', 'varchar(50)', (c) => c.notNull().unique())
    .addColumn('password_hash', 'varchar(200)', (c) => c.notNull())
    .addColumn('is_admin', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created', timestamp, (c) => c.notNull())
    .execute()
  await withIdColumn(db.schema.createTable('wiki_page'), db)
    .addColumn('slug', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('title', 'varchar(200)', (c) => c.notNull().unique())
    .addColumn('created', timestamp, (c) => c.notNull())
    .execute()
  await withIdColumn(db.schema.createTable('wiki_revision'), db)
    .addColumn('page_id', 'integer', (c) => c.notNull().references('wiki_page.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('comment', 'varchar(200)', (c) => c.notNull().defaultTo(''))
    .addColumn('author_id', 'integer', (c) => c.notNull().references('wiki_user.id'))
    .addColumn('created', timestamp, (c) => c.notNull())
    .addUniqueConstraint('wiki_revision_page_number_unique', ['page_id', 'number'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('wiki_revision').execute()
  await db.schema.dropTable('wiki_page').execute()
  await db.schema.dropTable('wiki_user').execute()
}
