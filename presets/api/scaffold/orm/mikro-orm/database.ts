import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { Note } from './entities.js'
import { migrations } from './migrations/index.js'

/**
 * The orm component on the database at `url`, with this app's entities and
 * migrations. `npm run db:migrate` runs the migrations.
 */
export const database = (url: string) => mikroOrm({ entities: [Note], url, migrations: { list: migrations } })

/** DATABASE_URL, else the {{db}} database `dovetail new --db {{db}}` set up. */
export const databaseUrl = (): string => process.env.DATABASE_URL || '{{databaseUrl}}'

/** TEST_DATABASE_URL, else the database the tests use by default ({{db}}). */
export const testDatabaseUrl = (): string => process.env.TEST_DATABASE_URL || '{{testDatabaseUrl}}'
