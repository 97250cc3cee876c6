import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

// As shipped: eta templates, the awilix container, SQLite in a file.
runWikiCase({ name: 'eta, awilix, SQLite', settings: { databaseUrl: tempDatabase('shipped') }, throttling: true })
