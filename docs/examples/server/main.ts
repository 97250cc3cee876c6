// Run: npx tsx docs/examples/server/main.ts   (PORT and HOST are honoured)
import { createServerApp } from './app.js'

const app = await createServerApp()
const server = await app.listen()
console.log(`listening on ${server.url}`)

// Graceful shutdown: stop accepting, finish requests in flight, stop components, exit.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}
