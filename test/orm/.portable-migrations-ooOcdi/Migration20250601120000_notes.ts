import type { Knex } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'

/**
 * The note table. Written with knex's schema builder rather than SQL text, so
 * it runs on SQLite, PostgreSQL and MySQL alike.
 */
export class Migration20250601120000_notes extends Migration {
  override async up(): Promise<void> {
    this.#run(
      this.#schema().createTable('note', (t) => {
        t.increments('id').primary()
        t.string('text', 500).notNullable()
      }),
    )
  }

  override async down(): Promise<void> {
    this.#run(this.#schema().dropTable('note'))
  }

  /** A new builder each time: a builder keeps every call made on it. */
  #schema(): Knex.SchemaBuilder {
    return this.getKnex().schema
  }

  /** One builder may compile to several statements. */
  #run(builder: Knex.SchemaBuilder): void {
    for (const { sql } of builder.toSQL()) this.addSql(sql)
  }
}
