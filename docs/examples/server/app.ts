import { createApp, defineConfig } from 'dovetailjs'
import node from 'dovetailjs/components/server/node'

const encoder = new TextEncoder()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const config = defineConfig({
  components: {
    // Only what differs from the defaults (see docs/server.md for the table).
    server: node({ keepAliveTimeout: 10_000, shutdownTimeout: 5_000 }),
  },
  routes(r) {
    r.get('/', (ctx) => ctx.text('hello from the server example'))

    // A streamed response: each line is sent when it is produced.
    r.get('/countdown', (ctx) => {
      const from = Number(ctx.query.from ?? 3)
      let n = from
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (n < 0) return controller.close()
          controller.enqueue(encoder.encode(n === 0 ? 'liftoff\n' : `${n}\n`))
          n--
          await sleep(100)
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
    })

    // A streamed request body: counted chunk by chunk, never held whole in memory.
    r.post('/upload', async (ctx) => {
      let bytes = 0
      const reader = ctx.request.body!.getReader()
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength
      return ctx.json({ bytes })
    })
  },
})

export const createServerApp = () => createApp(config)
