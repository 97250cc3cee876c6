import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { Note } from './entities.js'

/**
 * The orm component on the database at `url`, with this app's entities and
 * migrations. `npm run db:migrate` runs the migrations. They are imported only
 * then: a migration loads MikroORM's migrator, which serving requests never
 * needs, and the app starts faster without it.
 */
export const database = (url: string) =>
  mikroOrm({ entities: [Note], url, migrations: { list: () => import('./migrations/index.js').then((m) => m.migrations) } })

/** DATABASE_URL, else the {{db}} database `dovetail new --db {{db}}` set up. */
export const databaseUrl = (): string => process.env.DATABASE_URL || '{{databaseUrl}}'

/** TEST_DATABASE_URL, else the database the tests use by default ({{db}}). */
export const testDatabaseUrl = (): string => process.env.TEST_DATABASE_URL || '{{testDatabaseUrl}}'
