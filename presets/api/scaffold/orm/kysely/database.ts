import type { Generated } from 'kysely'
import { kdb, kysely } from 'dovetailjs/components/orm/kysely'
import { migrations } from './migrations/index.js'

/** The tables as Kysely types them; the migrations in ./migrations make them. */
export interface Database {
  note: { id: Generated<number>; text: string }
}

/** This request's Kysely, typed with the tables: `ctx.resolve(Tables).selectFrom('note')…`. */
export const Tables = kdb<Database>()

/**
 * The orm component on the database at `url`, with this app's migrations.
 * `npm run db:migrate` runs them.
 */
export const database = (url: string) => kysely({ url, migrations: { list: migrations } })

/** DATABASE_URL, else the {{db}} database `dovetail new --db {{db}}` set up. */
export const databaseUrl = (): string => process.env.DATABASE_URL || '{{databaseUrl}}'

/** TEST_DATABASE_URL, else the database the tests use by default ({{db}}). */
export const testDatabaseUrl = (): string => process.env.TEST_DATABASE_URL || '{{testDatabaseUrl}}'
