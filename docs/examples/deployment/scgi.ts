// SCGI behind nginx (nginx-scgi.conf). Put it beside app.ts: npm run build
// compiles it to dist/scgi.js. Run: PORT=4000 node dist/scgi.js
import { createApp, withComponents } from 'dovetailjs'
import config from './app.js'

// The app's own config with only the server slot changed: every other override stays.
const app = await createApp(withComponents(config, { server: 'scgi' }))
const server = await app.listen({ port: Number(process.env.PORT ?? 4000) })
console.log(`listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
