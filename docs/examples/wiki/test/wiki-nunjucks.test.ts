import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

// The same pages written for nunjucks (templates/nunjucks), switched by the config's template slot.
runWikiCase({ name: 'nunjucks, awilix, SQLite', settings: { template: 'nunjucks', databaseUrl: tempDatabase('nunjucks') } })
