import { createHelloApp } from './app.js'

const app = await createHelloApp()
const server = await app.listen()
console.log(`Dovetail hello app on ${server.url} (Ctrl-C to stop)`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: finishing requests in flight, then stopping`)
    void app.close().then(() => process.exit(0))
  })
}
