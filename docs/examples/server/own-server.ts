// Run: npx tsx docs/examples/server/own-server.ts
// Your own http.Server around the app: you set its limits and own its lifecycle.
import { createServer } from 'node:http'
import { toRequestListener } from 'dovetailjs/components/server/node'
import { createServerApp } from './app.js'

const app = await createServerApp()
const server = createServer(
  { headersTimeout: 10_000, requestTimeout: 30_000, maxHeaderSize: 16_384 },
  toRequestListener(app.fetch, { logger: app.logger }),
)
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  const { port } = server.address() as { port: number }
  console.log(`listening on http://127.0.0.1:${port}`)
})

// Stop accepting, and close each keep-alive connection as soon as its last response is sent.
let stopping = false
server.on('request', (_req, res) => res.once('close', () => stopping && server.closeIdleConnections()))
process.once('SIGTERM', () => {
  stopping = true
  server.close(() => void app.close().then(() => process.exit(0)))
})
