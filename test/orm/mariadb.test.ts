import { describe } from 'vitest'
import { services, serviceAvailable } from '../support/services.js'
import { runOrmCase } from './orm.case.js'

const available = await serviceAvailable('mariadb')

describe.skipIf(!available)('MariaDB', () => {
  // The same server, named as MariaDB: the component reads mariadb:// and uses MikroORM's mysql driver.
  runOrmCase({ name: 'MariaDB', url: services.mariadb.url.replace(/^mysql:/, 'mariadb:') })
})
