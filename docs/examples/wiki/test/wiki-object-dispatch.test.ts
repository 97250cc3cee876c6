import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

// Another router, switched by the settings' router: the routes as a controller tree (controller-tree.ts); the controllers do not change.
runWikiCase({ name: 'eta, awilix, SQLite, object dispatch', settings: { router: 'object-dispatch', databaseUrl: tempDatabase('object-dispatch') } })
