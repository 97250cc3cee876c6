// The wiki (docs/examples/wiki) as test/bench/workers.ts measures it, compiled, NODE_ENV production.
//   node wiki.js setup     migrate and seed the database DATABASE_URL names, then exit
//   node wiki.js           serve on a free port: WIKI_WORKERS=0 from this process, N from N workers (runWorkers)
// Once serving, it writes one JSON line to stderr: { port, pids } (this process first, then the workers),
// the processes whose CPU time is counted. stdout carries the app's request log.
import cluster from 'node:cluster'
import { createApp } from 'dovetailjs'
import { MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { runWorkers } from 'dovetailjs/server-kit'
import { createWikiConfig } from '../../../docs/examples/wiki/app.js'
import { seedWiki } from '../../../docs/examples/wiki/seed.js'

const ready = (port: number, pids: number[]) => process.stderr.write(`${JSON.stringify({ port, pids })}\n`)

if (process.argv[2] === 'setup') {
  const app = await createApp(createWikiConfig())
  await app.resolve(MikroOrm).migrate()
  await seedWiki(app, {})
  await app.close()
  process.exit(0)
}

const workers = Number(process.env.WIKI_WORKERS ?? 0)
if (workers === 0) {
  const app = await createApp(createWikiConfig())
  const server = await app.listen({ port: 0 })
  ready(server.port, [process.pid])
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)))
} else {
  process.exit(
    await runWorkers({
      workers,
      async serve() {
        const app = await createApp(createWikiConfig())
        const server = await app.listen({ port: 0 })
        return { url: server.url, close: () => app.close() }
      },
      onServing: (url) => ready(Number(new URL(url!).port), [process.pid, ...Object.values(cluster.workers ?? {}).map((w) => w!.process.pid!)]),
    }),
  )
}
