import { describe } from 'vitest'
import { services, serviceAvailable } from '../support/services.js'
import { runOrmCase } from './orm.case.js'

const available = await serviceAvailable('postgres')

describe.skipIf(!available)('PostgreSQL', () => {
  runOrmCase({ name: 'PostgreSQL', url: services.postgres.url })
})
