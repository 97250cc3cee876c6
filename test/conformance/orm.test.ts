import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { runOrmConformance } from 'dovetailjs/testing/conformance'
import { services, serviceAvailable } from '../support/services.js'

const dir = mkdtempSync(join(tmpdir(), 'dovetail-orm-conformance-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
runOrmConformance({ name: 'orm/mikro-orm on SQLite', createComponent: () => mikroOrm({ url: join(dir, `conformance-${++files}.db`) }) })

if (await serviceAvailable('postgres')) {
  runOrmConformance({ name: 'orm/mikro-orm on PostgreSQL', createComponent: () => mikroOrm({ url: services.postgres.url }) })
}

if (await serviceAvailable('mariadb')) {
  runOrmConformance({ name: 'orm/mikro-orm on MariaDB', createComponent: () => mikroOrm({ url: services.mariadb.url, driver: 'mariadb' }) })
}
