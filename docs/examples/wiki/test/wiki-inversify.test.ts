import { withComponents } from 'dovetailjs'
import { runWikiCase } from './wiki.case.js'
import { tempDatabase } from './temp-db.js'

// Another container, switched by the config's container slot; the controllers and services do not change.
runWikiCase({
  name: 'eta, inversify, SQLite',
  settings: { databaseUrl: tempDatabase('inversify') },
  edit: (config) => withComponents(config, { container: 'inversify' }),
})
