import { createApp } from 'dovetailjs'
import config from './app.js'

const app = await createApp(config)
const server = await app.listen()
console.log(`{{name}} on ${server.url} (Ctrl-C to stop)`)

// Finish the requests in flight, then exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)))
}
