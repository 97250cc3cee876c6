import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createApp, defineConfig, Logger, Orm, SessionStore, type App } from 'dovetailjs'
import { runSessionStoreConformance } from 'dovetailjs/testing/conformance'
import { mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { sqlStore, type SqlSessionStore } from 'dovetailjs/components/session-store/sql'
import { services, serviceAvailable } from '../support/services.js'

/**
 * The SQL store as an app builds it: on the orm component, its table created
 * at startup. Each run gets a table of its own, dropped afterwards.
 */
function sqlConformance(name: string, url: string): void {
  const apps = new WeakMap<SessionStore, App>()
  const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }
  runSessionStoreConformance({
    name: `session-store/sql on ${name}`,
    createStore: async () => {
      const app = await createApp(
        defineConfig({
          environment: 'test',
          components: { orm: mikroOrm({ url }), 'session-store': sqlStore({ table: `test_sessions_${randomBytes(4).toString('hex')}` }) },
          register: (c) => void c.value(Logger, quiet),
        }),
      )
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
sqlConformance('SQLite', join(sqliteDir, 'sessions.db'))

if (await serviceAvailable('postgres')) sqlConformance('PostgreSQL', services.postgres.url)
if (await serviceAvailable('mariadb')) sqlConformance('MariaDB', services.mariadb.url)
