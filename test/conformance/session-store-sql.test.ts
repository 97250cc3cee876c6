import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createApp, defineConfig, Logger, Orm, SessionStore, type App } from 'dovetailjs'
import { runSessionStoreConformance, type SessionStoreOutage } from 'dovetailjs/testing/conformance'
import { kysely } from 'dovetailjs/components/orm/kysely'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { sqlStore, type SqlSessionStore } from 'dovetailjs/components/session-store/sql'
import { faultProxy } from '../support/fault-proxy.js'
import { services, serviceAvailable } from '../support/services.js'

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

/** The ORM components the store runs on: it speaks only the orm contract. */
const orms = { 'orm/mikro-orm': (url: string) => mikroOrm({ url }), 'orm/kysely': (url: string) => kysely({ url }) }
type OrmName = keyof typeof orms

/** An app with the SQL store on `url`, through the named ORM component, in a table of its own. */
const sqlApp = (url: string, orm: OrmName): Promise<App> =>
  createApp(
    defineConfig({
      environment: 'test',
      components: { orm: orms[orm](url), 'session-store': sqlStore({ table: `test_sessions_${randomBytes(4).toString('hex')}`, sweepInterval: 0 }) },
      register: (c) => void c.value(Logger, quiet),
    }),
  )

/** The database behind a fault proxy the test can break, so the real one stays up for every other suite. */
function outageThrough(service: { host: string; port: number }, url: (port: number) => string, orm: OrmName): SessionStoreOutage {
  return {
    create: async () => {
      const proxy = await faultProxy(service)
      const app = await sqlApp(url(proxy.port), orm)
      const store = app.resolve(SessionStore) as SqlSessionStore
      return {
        store,
        cutOff: () => {
          proxy.setMode('refuse')
          proxy.cut()
        },
        restore: () => proxy.setMode('pass'),
        close: async () => {
          proxy.setMode('pass')
          await app.resolve(Orm).execute(`DROP TABLE ${store.table}`)
          await app.close()
          await proxy.close()
        },
      }
    },
  }
}

/**
 * The SQL store as an app builds it: on the orm component, its table created
 * at startup. Each run gets a table of its own, dropped afterwards.
 */
function sqlConformance(name: string, url: string, orm: OrmName, outage?: SessionStoreOutage): void {
  const apps = new WeakMap<SessionStore, App>()
  runSessionStoreConformance({
    name: `session-store/sql on ${name} through ${orm}`,
    outage,
    createStore: async () => {
      const app = await sqlApp(url, orm)
      const store = app.resolve(SessionStore)
      apps.set(store, app)
      return store
    },
    close: async (store) => {
      const app = apps.get(store)!
      await app.resolve(Orm).execute(`DROP TABLE ${(store as SqlSessionStore).table}`)
      await app.close()
    },
  })
}

const sqliteDir = mkdtempSync(join(tmpdir(), 'dovetail-sessions-'))
afterAll(() => rmSync(sqliteDir, { recursive: true, force: true }))
for (const orm of Object.keys(orms) as OrmName[]) {
  sqlConformance('SQLite', join(sqliteDir, `sessions-${orm.replace('/', '-')}.db`), orm)
  if (await serviceAvailable('postgres')) {
    sqlConformance('PostgreSQL', services.postgres.url, orm, outageThrough(services.postgres, (port) => `postgresql://postgres@127.0.0.1:${port}/test`, orm))
  }
  if (await serviceAvailable('mariadb')) {
    sqlConformance('MariaDB', services.mariadb.url, orm, outageThrough(services.mariadb, (port) => `mysql://root@127.0.0.1:${port}/test`, orm))
  }
}
