import { request as httpGet } from 'node:http'
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createApp, defineConfig, DovetailError, type Routes } from 'dovetailjs'
import compression, { type CompressionOptions } from 'dovetailjs/components/middleware/compression'
import { createTestClient } from 'dovetailjs/testing'

const big = 'Dovetail compresses text. '.repeat(200) // 5200 bytes

async function clientFor(routes: (r: Routes) => void, options?: CompressionOptions) {
  const app = await createApp(defineConfig({ environment: 'test', components: { middleware: [compression(options)] }, routes }))
  return createTestClient(app)
}

const bytes = async (res: Response) => Buffer.from(await res.arrayBuffer())

describe('compression middleware', () => {
  it('gzips a text body for a client that accepts only gzip', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.text(big)))
    const res = await client.get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('vary')).toBe('Accept-Encoding')
    expect(res.headers.get('content-length')).toBeNull()
    const body = await bytes(res)
    expect(body.byteLength).toBeLessThan(big.length / 5)
    expect(gunzipSync(body).toString()).toBe(big)
  })

  it('prefers brotli when the client weighs both equally', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.json({ text: big })))
    const res = await client.get('/', { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(res.headers.get('content-encoding')).toBe('br')
    expect(JSON.parse(brotliDecompressSync(await bytes(res)).toString())).toEqual({ text: big })
  })

  it('honours q-values over its own preference', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.text(big)))
    const res = await client.get('/', { headers: { 'accept-encoding': 'br;q=0.4, gzip;q=0.9' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(await bytes(res)).toString()).toBe(big)
  })

  it('sends identity when nothing acceptable is offered, still with Vary', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.text(big)))
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const res = await client.get('/', { headers: accept ? { 'accept-encoding': accept } : {} })
      expect(res.headers.get('content-encoding'), accept).toBeNull()
      expect(res.headers.get('vary')).toBe('Accept-Encoding')
      expect(await res.text()).toBe(big)
    }
  })

  it('leaves bodies under the threshold alone (1 KiB by default)', async () => {
    const client = await clientFor((r) => {
      r.get('/small', (ctx) => ctx.text('x'.repeat(1023)))
      r.get('/edge', (ctx) => ctx.text('x'.repeat(1024)))
      r.get('/declared', () => new Response('y'.repeat(500), { headers: { 'content-type': 'text/plain', 'content-length': '500' } }))
    })
    const small = await client.get('/small', { headers: { 'accept-encoding': 'gzip' } })
    expect(small.headers.get('content-encoding')).toBeNull()
    expect(await small.text()).toBe('x'.repeat(1023))
    const declared = await client.get('/declared', { headers: { 'accept-encoding': 'gzip' } })
    expect(declared.headers.get('content-encoding')).toBeNull()
    expect(declared.headers.get('content-length')).toBe('500')
    const edge = await client.get('/edge', { headers: { 'accept-encoding': 'gzip' } })
    expect(edge.headers.get('content-encoding')).toBe('gzip')
  })

  it('counts the threshold in bytes, not characters', async () => {
    const client = await clientFor((r) => {
      // 342 and 341 euro signs: 1026 and 1023 bytes in UTF-8.
      r.get('/over', (ctx) => ctx.text('€'.repeat(342)))
      r.get('/under', (ctx) => ctx.text('€'.repeat(341)))
    })
    const over = await client.get('/over', { headers: { 'accept-encoding': 'gzip' } })
    expect(over.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(await bytes(over)).toString()).toBe('€'.repeat(342))
    const under = await client.get('/under', { headers: { 'accept-encoding': 'gzip' } })
    expect(under.headers.get('content-encoding')).toBeNull()
    expect(await under.text()).toBe('€'.repeat(341))
  })

  it('takes a custom threshold', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.text('hello hello hello')), { threshold: 10 })
    const res = await client.get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(await bytes(res)).toString()).toBe('hello hello hello')
  })

  it('never compresses twice: a body with a Content-Encoding passes through byte for byte', async () => {
    const pre = gzipSync(Buffer.from(big))
    const client = await clientFor((r) =>
      r.get('/', () => new Response(pre, { headers: { 'content-type': 'text/plain', 'content-encoding': 'gzip', etag: '"v1"' } })),
    )
    const res = await client.get('/', { headers: { 'accept-encoding': 'br, gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('etag')).toBe('"v1"')
    expect((await bytes(res)).equals(pre)).toBe(true)
  })

  it.each(['image/png', 'image/jpeg', 'video/mp4', 'audio/mpeg', 'application/zip', 'application/gzip', 'font/woff2', 'application/octet-stream', 'text/event-stream'])(
    'skips %s, which is already compressed or must not be',
    async (type) => {
      const client = await clientFor((r) => r.get('/', () => new Response(big, { headers: { 'content-type': type } })))
      const res = await client.get('/', { headers: { 'accept-encoding': 'br, gzip' } })
      expect(res.headers.get('content-encoding')).toBeNull()
      expect(res.headers.get('vary')).toBeNull()
      expect(await res.text()).toBe(big)
    },
  )

  it.each(['image/svg+xml', 'application/javascript', 'application/problem+json', 'text/css; charset=utf-8', 'application/wasm'])(
    'compresses %s',
    async (type) => {
      const client = await clientFor((r) => r.get('/', () => new Response(big, { headers: { 'content-type': type } })))
      const res = await client.get('/', { headers: { 'accept-encoding': 'gzip' } })
      expect(res.headers.get('content-encoding')).toBe('gzip')
      expect(gunzipSync(await bytes(res)).toString()).toBe(big)
    },
  )

  it('removes Content-Length and Accept-Ranges and weakens a strong ETag when it compresses', async () => {
    const client = await clientFor((r) => {
      r.get('/strong', () => new Response(big, { headers: { 'content-type': 'text/plain', 'content-length': String(big.length), etag: '"abc"', 'accept-ranges': 'bytes' } }))
      r.get('/weak', (ctx) => ctx.text(big, { headers: { etag: 'W/"abc"' } }))
    })
    const strong = await client.get('/strong', { headers: { 'accept-encoding': 'gzip' } })
    expect(strong.headers.get('content-encoding')).toBe('gzip')
    expect(strong.headers.get('content-length')).toBeNull()
    expect(strong.headers.get('accept-ranges')).toBeNull()
    expect(strong.headers.get('etag')).toBe('W/"abc"')
    expect(gunzipSync(await bytes(strong)).toString()).toBe(big)
    const weak = await client.get('/weak', { headers: { 'accept-encoding': 'gzip' } })
    expect(weak.headers.get('etag')).toBe('W/"abc"')
    // An ETag that the client sent back unchanged is not weakened twice.
    const plain = await client.get('/strong')
    expect(plain.headers.get('etag')).toBe('"abc"')
  })

  it('keeps every header of the response it compresses, each Set-Cookie on its own', async () => {
    const client = await clientFor((r) =>
      r.get('/', (ctx) => {
        const res = ctx.text(big)
        res.headers.append('set-cookie', 'a=1; Path=/')
        res.headers.append('set-cookie', 'b=2; Path=/')
        res.headers.set('x-request-id', 'r-1')
        return res
      }),
    )
    const res = await client.get('/', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(res.headers.get('x-request-id')).toBe('r-1')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(gunzipSync(await bytes(res)).toString()).toBe(big)
  })

  it('adds Accept-Encoding to an existing Vary header once', async () => {
    const client = await clientFor((r) => {
      r.get('/origin', (ctx) => ctx.text(big, { headers: { vary: 'Origin' } }))
      r.get('/already', (ctx) => ctx.text(big, { headers: { vary: 'accept-encoding' } }))
      r.get('/star', (ctx) => ctx.text(big, { headers: { vary: '*' } }))
    })
    const h = { headers: { 'accept-encoding': 'gzip' } }
    expect((await client.get('/origin', h)).headers.get('vary')).toBe('Origin, Accept-Encoding')
    expect((await client.get('/already', h)).headers.get('vary')).toBe('accept-encoding')
    expect((await client.get('/star', h)).headers.get('vary')).toBe('*')
  })

  it('skips HEAD, 204, 206, 304 and Cache-Control: no-transform', async () => {
    const client = await clientFor((r) => {
      r.route(['GET', 'HEAD'], '/page', (ctx) => ctx.text(big))
      r.get('/empty', () => new Response(null, { status: 204 }))
      r.get('/partial', () => new Response(big.slice(0, 2000), { status: 206, headers: { 'content-type': 'text/plain', 'content-range': `bytes 0-1999/${big.length}` } }))
      r.get('/cached', () => new Response(null, { status: 304, headers: { etag: '"x"', 'content-type': 'text/plain' } }))
      r.get('/raw', (ctx) => ctx.text(big, { headers: { 'cache-control': 'public, no-transform' } }))
    })
    const h = { headers: { 'accept-encoding': 'gzip, br' } }
    const head = await client.head('/page', h)
    expect(head.status).toBe(200)
    expect(head.headers.get('content-encoding')).toBeNull()
    expect(head.headers.get('vary')).toBe('Accept-Encoding')
    expect((await client.get('/empty', h)).headers.get('content-encoding')).toBeNull()
    const partial = await client.get('/partial', h)
    expect(partial.headers.get('content-encoding')).toBeNull()
    expect(await partial.text()).toBe(big.slice(0, 2000))
    const cached = await client.get('/cached', h)
    expect(cached.status).toBe(304)
    expect(cached.headers.get('content-encoding')).toBeNull()
    const raw = await client.get('/raw', h)
    expect(raw.headers.get('content-encoding')).toBeNull()
    expect(await raw.text()).toBe(big)
  })

  it('compresses a streamed body as a stream: the first part arrives before the handler has finished', async () => {
    let finish!: () => void
    const finished = new Promise<void>((resolve) => (finish = resolve))
    const encoder = new TextEncoder()
    const client = await clientFor((r) =>
      r.get('/stream', () => {
        const body = new ReadableStream<Uint8Array>({
          async start(controller) {
            controller.enqueue(encoder.encode('first part;'))
            await finished
            controller.enqueue(encoder.encode('second part'))
            controller.close()
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
      }),
    )
    const res = await client.get('/stream', { headers: { 'accept-encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('content-length')).toBeNull()
    const reader = res.body!.pipeThrough(new DecompressionStream('gzip')).pipeThrough(new TextDecoderStream()).getReader()
    // The source is still open (finish() not yet called): only a flushed stream can deliver this.
    expect((await reader.read()).value).toBe('first part;')
    finish()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value
    expect(rest).toBe('second part')
  })

  it('compresses a long stream with brotli into a body that decodes to the original', async () => {
    const parts = Array.from({ length: 50 }, (_, i) => `line ${i}: ${'lorem ipsum '.repeat(20)}\n`)
    const client = await clientFor((r) =>
      r.get('/stream', () => {
        const encoder = new TextEncoder()
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = parts.shift()
            if (next === undefined) controller.close()
            else controller.enqueue(encoder.encode(next))
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/plain' } })
      }),
    )
    const expected = parts.join('')
    const res = await client.get('/stream', { headers: { 'accept-encoding': 'br' } })
    expect(res.headers.get('content-encoding')).toBe('br')
    const body = await bytes(res)
    expect(body.byteLength).toBeLessThan(expected.length / 3)
    expect(brotliDecompressSync(body).toString()).toBe(expected)
  })

  it('compresses in-memory bodies of any size, on either side of syncThreshold, into the bytes zlib makes by default', async () => {
    // Sizes around the smallest gzip window (512 bytes), a mid one, the default 32 KiB window and the threshold.
    const sizes = [1100, 4000, 16_384, 16_385, 32_000, 33_000, 70_000]
    const text = (n: number) => Array.from({ length: n }, (_, i) => 'abcdefghij klmnopqrstuvwxyz 0123456789 '[(i * 7 + (i >> 5)) % 40]).join('')
    for (const syncThreshold of [0, 16_384, 100_000]) {
      const client = await clientFor((r) => r.get('/:n', (ctx) => ctx.text(text(Number(ctx.params.n)))), { syncThreshold })
      for (const n of sizes) {
        const gz = await client.get(`/${n}`, { headers: { 'accept-encoding': 'gzip' } })
        expect(gz.headers.get('content-encoding')).toBe('gzip')
        const body = await bytes(gz)
        expect(body.equals(gzipSync(text(n), { level: 6 })), `gzip of ${n} bytes, syncThreshold ${syncThreshold}`).toBe(true)
        const br = await client.get(`/${n}`, { headers: { 'accept-encoding': 'br' } })
        expect(brotliDecompressSync(await bytes(br)).toString()).toBe(text(n))
      }
    }
  })

  it('offers only the configured encodings', async () => {
    const client = await clientFor((r) => r.get('/', (ctx) => ctx.text(big)), { encodings: ['gzip'] })
    const res = await client.get('/', { headers: { 'accept-encoding': 'br' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(await res.text()).toBe(big)
  })

  it('loads by its built-in name and can be removed from the list by name', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { middleware: ['compression'] }, routes: (r) => r.get('/', (ctx) => ctx.text(big)) }))
    expect((await app.fetch(new Request('http://x/', { headers: { 'accept-encoding': 'gzip' } }))).headers.get('content-encoding')).toBe('gzip')
    const removed = await createApp(
      defineConfig({
        environment: 'test',
        preset: { name: 'with-compression', components: { container: 'awilix', router: 'radix', middleware: ['compression'] } },
        components: { middleware: { remove: ['compression'] } },
        routes: (r) => r.get('/', (ctx) => ctx.text(big)),
      }),
    )
    expect((await removed.fetch(new Request('http://x/', { headers: { 'accept-encoding': 'gzip' } }))).headers.get('content-encoding')).toBeNull()
  })

  it('refuses bad options at startup, naming the option', async () => {
    const attempt = createApp(defineConfig({ components: { middleware: [compression({ gzipLevel: 12 } as CompressionOptions)] } }))
    await expect(attempt).rejects.toBeInstanceOf(DovetailError)
    await expect(attempt).rejects.toThrow(/middleware\/compression.*\n.*gzipLevel/)
    await expect(createApp(defineConfig({ components: { middleware: [compression({ encodings: ['deflate'] } as never)] } }))).rejects.toThrow(/encodings/)
  })

  it('reaches a real client over node:http with one correct Content-Length', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { middleware: [compression()] }, routes: (r) => r.get('/', (ctx) => ctx.text(big)) }))
    const server = await app.listen({ port: 0 })
    try {
      const { headers, body } = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
        httpGet(`${server.url}/`, { headers: { 'accept-encoding': 'br' } }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }))
        }).on('error', reject).end()
      })
      expect(headers['content-encoding']).toBe('br')
      expect(headers['content-length']).toBe(String(body.byteLength))
      expect(brotliDecompressSync(body).toString()).toBe(big)
    } finally {
      await app.close()
    }
  })
})
