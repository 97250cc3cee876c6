import { createApp, Orm } from 'dovetailjs'
import { createWikiConfig } from './app.js'
import { seedWiki } from './seed.js'

/**
 * `npm start`: bring the database up to date (migrations, never a drop),
 * add the starter pages that are missing (never over existing ones), serve.
 * PORT and HOST choose where; DATABASE_URL, WIKI_ORM, WIKI_TEMPLATE, WIKI_ROUTER,
 * WIKI_SESSION_STORE and WIKI_SESSION_SECRET are read by the config (see app.ts).
 */
const app = await createApp(createWikiConfig())
try {
  const migrated = await app.resolve(Orm).migrate()
  if (migrated.length) app.logger.info({ migrations: migrated }, 'database migrated')
  const seeded = await seedWiki(app, { adminPassword: process.env.WIKI_ADMIN_PASSWORD || undefined })
  if (seeded.created.length) app.logger.info({ pages: seeded.created }, 'starter pages created')
  if (seeded.admin !== 'unchanged') app.logger.info({ admin: seeded.admin }, 'admin account ready')
} catch (error) {
  await app.close()
  throw error
}
const server = await app.listen()
console.log(`Dovetail Wiki on ${server.url} (Ctrl-C to stop)`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing requests in flight, then stopping`)
    void app.close().then(() => process.exit(0))
  })
}
