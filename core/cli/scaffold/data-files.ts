/**
 * The sample entity and the migration that creates its table, for presets
 * with a database.
 */

/** `entities.ts`. */
export const entitiesModule = `import { defineEntity, type InferEntity } from '@mikro-orm/core'

/** A note: the sample entity. Its table is made by the migration in ./migrations. */
export const Note = defineEntity({
  name: 'Note',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    text: p.string().length(500),
  }),
})

export type Note = InferEntity<typeof Note>
`

/**
 * The first migration's name: a timestamp, as MikroORM's \`migration:create\`
 * names them, so the ones made later sort after it.
 *
 * @example
 * migrationName(new Date('2025-06-01T12:00:00Z')) // 'Migration20250601120000_notes'
 */
export const migrationName = (now: Date): string => `Migration${now.toISOString().replace(/\D/g, '').slice(0, 14)}_notes`

/** `migrations/<name>.ts`. */
export const migrationModule = (name: string): string => `import type { Knex } from '@mikro-orm/knex'
import { Migration } from '@mikro-orm/migrations'

/**
 * The note table. Written with knex's schema builder rather than SQL text, so
 * it runs on SQLite, PostgreSQL and MySQL alike. Later migrations come from
 * \`npm run db:migration -- <name>\` after changing an entity.
 */
export class ${name} extends Migration {
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
`
