import type { Knex } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'

/**
 * Shelves and books. Written with knex's schema builder, not SQL text, so the
 * one migration runs on SQLite, PostgreSQL and MySQL/MariaDB alike. The names
 * are the ones MikroORM derives from the entities (`shelf_id`, `book_isbn_unique`).
 */
export class Migration20250101000000_shelves extends Migration {
  override async up(): Promise<void> {
    this.#run(
      this.#schema().createTable('shelf', (t) => {
        t.increments('id').primary()
        t.string('name', 100).notNullable()
      }),
    )
    this.#run(
      this.#schema().createTable('book', (t) => {
        t.increments('id').primary()
        t.string('isbn', 20).notNullable().unique({ indexName: 'book_isbn_unique' })
        t.string('title', 200).notNullable()
        t.integer('shelf_id').unsigned().notNullable().references('id').inTable('shelf').onUpdate('cascade')
      }),
    )
  }

  override async down(): Promise<void> {
    this.#run(this.#schema().dropTable('book'))
    this.#run(this.#schema().dropTable('shelf'))
  }

  /** A new builder each time: a builder keeps every call made on it. */
  #schema(): Knex.SchemaBuilder {
    return this.getKnex().schema
  }

  /** One builder may compile to several statements (SQLite adds the unique index separately). */
  #run(builder: Knex.SchemaBuilder): void {
    for (const { sql } of builder.toSQL()) this.addSql(sql)
  }
}
