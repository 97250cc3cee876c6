// FastCGI behind nginx (nginx-fastcgi.conf). Run: npx tsx docs/examples/deployment/fastcgi.ts
import { createApp } from 'dovetailjs'
import fastcgi from 'dovetailjs/components/server/fastcgi'
import { config } from './app.js'

const app = await createApp({ ...config, components: { server: fastcgi() } })
const server = await app.listen({ port: Number(process.env.PORT ?? 9000) })
console.log(`listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
