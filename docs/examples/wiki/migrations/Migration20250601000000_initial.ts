import { Migration } from '@mikro-orm/migrations'
import type { Knex } from '@mikro-orm/knex'

/**
 * The wiki's first schema: accounts, pages and their revisions.
 *
 * Written with knex's schema builder rather than as SQL text, so one
 * migration serves SQLite, PostgreSQL and MySQL/MariaDB: the builder speaks
 * the dialect of the database the migration runs on. Names match what
 * MikroORM derives from the entities in `models/`, so a later
 * `migration:create` diffs against this schema cleanly.
 */
export class Migration20250601000000_initial extends Migration {
  override async up(): Promise<void> {
    this.#add(
      this.#schema().createTable('wiki_user', (t) => {
        t.increments('id').primary()
        t.string('username', 50).notNullable().unique({ indexName: 'wiki_user_username_unique' })
        t.string('password_hash', 200).notNullable()
        t.boolean('is_admin').notNullable().defaultTo(false)
        t.datetime('created', { useTz: true }).notNullable()
      }),
    )
    this.#add(
      this.#schema().createTable('wiki_page', (t) => {
        t.increments('id').primary()
        t.string('slug', 100).notNullable().unique({ indexName: 'wiki_page_slug_unique' })
        t.string('title', 200).notNullable().unique({ indexName: 'wiki_page_title_unique' })
        t.datetime('created', { useTz: true }).notNullable()
      }),
    )
    this.#add(
      this.#schema().createTable('wiki_revision', (t) => {
        t.increments('id').primary()
        t.integer('page_id').unsigned().notNullable().index('wiki_revision_page_id_index')
        t.integer('number').notNullable()
        t.text('body').notNullable()
        t.string('comment', 200).notNullable().defaultTo('')
        t.integer('author_id').unsigned().notNullable().index('wiki_revision_author_id_index')
        t.datetime('created', { useTz: true }).notNullable()
        t.foreign('page_id', 'wiki_revision_page_id_foreign').references('id').inTable('wiki_page').onUpdate('cascade')
        t.foreign('author_id', 'wiki_revision_author_id_foreign').references('id').inTable('wiki_user').onUpdate('cascade')
        t.unique(['page_id', 'number'], { indexName: 'wiki_revision_page_number_unique' })
      }),
    )
  }

  override async down(): Promise<void> {
    this.#add(this.#schema().dropTable('wiki_revision'))
    this.#add(this.#schema().dropTable('wiki_page'))
    this.#add(this.#schema().dropTable('wiki_user'))
  }

  /** A fresh builder per statement: one builder collects every call made on it. */
  #schema(): Knex.SchemaBuilder {
    return this.getKnex().schema
  }

  /** A schema builder may stand for several statements (a table, then its indexes). */
  #add(builder: Knex.SchemaBuilder): void {
    for (const statement of builder.toSQL()) this.addSql(statement.sql)
  }
}
