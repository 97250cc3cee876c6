// The node server behind nginx as a reverse proxy (nginx-proxy.conf).
// Run: npx tsx docs/examples/deployment/proxy.ts
import { createApp } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'
import { config } from './app.js'

// trustProxy: build ctx.request.url from nginx's X-Forwarded-Proto and X-Forwarded-Host.
const app = await createApp({ ...config, components: { server: node({ trustProxy: true }) } })
const server = await app.listen({ port: Number(process.env.PORT ?? 3000) })
console.log(`listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
