import { createApp, defineConfig } from 'dovetailjs'
import compression from 'dovetailjs/components/middleware/compression'

/** An app whose text responses go out compressed; one route streams its body. */
export const createCompressedApp = () =>
  createApp(
    defineConfig({
      components: { middleware: [compression({ threshold: 1024, encodings: ['br', 'gzip'] })] },
      routes(r) {
        r.get('/report', (ctx) => ctx.text('All systems nominal.\n'.repeat(200)))
        r.get('/tiny', (ctx) => ctx.json({ ok: true }))
        r.get('/feed', () => {
          const encoder = new TextEncoder()
          let i = 0
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (i === 100) return controller.close()
              controller.enqueue(encoder.encode(`{"item":${i++}}\n`))
            },
          })
          return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } })
        })
      },
    }),
  )
