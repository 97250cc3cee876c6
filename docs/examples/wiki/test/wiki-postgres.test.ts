import { randomBytes } from 'node:crypto'
import { describe } from 'vitest'
import { serviceAvailable, services } from '../../../../test/support/services.js'
import { runWikiCase } from './wiki.case.js'

const hasPostgres = await serviceAvailable('postgres')

describe.skipIf(!hasPostgres)('on PostgreSQL', () => {
  // The database `test` is shared with other suites, and maybe with another run of this one: a schema of this run's own.
  const databaseSchema = `wiki_test_${randomBytes(4).toString('hex')}`
  runWikiCase({ name: 'eta, awilix, PostgreSQL', settings: { databaseUrl: services.postgres.url, databaseSchema }, ownSchema: true })
})
