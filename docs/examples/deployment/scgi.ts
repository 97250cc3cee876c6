// SCGI behind nginx (nginx-scgi.conf). Run: npx tsx docs/examples/deployment/scgi.ts
import { createApp } from 'dovetailjs'
import scgi from 'dovetailjs/components/server/scgi'
import { config } from './app.js'

const app = await createApp({ ...config, components: { server: scgi() } })
const server = await app.listen({ port: Number(process.env.PORT ?? 4000) })
console.log(`listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
