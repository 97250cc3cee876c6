// Run: npx tsx docs/examples/server/hono.ts
// The same app under @hono/node-server: an app is a fetch handler, so no glue is needed.
import type { Server } from 'node:http'
import { serve } from '@hono/node-server'
import { createServerApp } from './app.js'

const app = await createServerApp()
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: '127.0.0.1' }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`)
}) as Server

// Shutdown is yours here (Dovetail's own server does this for you): stop accepting,
// and close each keep-alive connection as soon as its last response is sent.
let stopping = false
server.on('request', (_req, res) => res.once('close', () => stopping && server.closeIdleConnections()))
process.once('SIGTERM', () => {
  stopping = true
  server.close(() => void app.close().then(() => process.exit(0)))
})
