import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

// Another ORM, switched by the settings' orm: the same tables through Kysely (data/kysely-wiki-data.ts); nothing above the data layer changes.
runWikiCase({ name: 'eta, awilix, SQLite, Kysely', settings: { orm: 'kysely', databaseUrl: tempDatabase('kysely') } })
