// Any entry in several processes: here the node server behind nginx (nginx-proxy.conf) as proxy.ts
// runs it, in WORKERS worker processes sharing the port (default: one per CPU). Put it beside
// app.ts: npm run build compiles it to dist/workers.js. Run: PORT=3000 WORKERS=4 node dist/workers.js
import { createApp, withComponents } from 'dovetailjs'
import { runWorkers } from 'dovetailjs/server-kit'
import config from './app.js'

// This file runs in the primary and in every worker: runWorkers forks the workers in the first and
// calls serve() in each of the others. It resolves with the code to exit with once all have closed.
process.exit(
  await runWorkers({
    workers: process.env.WORKERS ? Number(process.env.WORKERS) : 'auto',
    async serve() {
      const app = await createApp(withComponents(config, { server: { use: 'node', options: { trustProxy: true } } }))
      const server = await app.listen({ port: Number(process.env.PORT ?? 3000) })
      return { url: server.url, close: () => app.close() }
    },
    onServing: (url, workers) => console.log(`listening on ${url} (${workers} workers)`),
  }),
)
