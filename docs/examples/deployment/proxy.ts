// The node server behind nginx as a reverse proxy (nginx-proxy.conf).
// Put it beside app.ts: npm run build compiles it to dist/proxy.js.
// Run: PORT=3000 node dist/proxy.js
import { createApp, withComponents } from 'dovetailjs'
import config from './app.js'

// The app's own config with only the server slot changed; trustProxy builds
// ctx.request.url from nginx's X-Forwarded-Proto and X-Forwarded-Host.
const app = await createApp(withComponents(config, { server: { use: 'node', options: { trustProxy: true } } }))
const server = await app.listen({ port: Number(process.env.PORT ?? 3000) })
console.log(`listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
