import { createHash } from 'node:crypto'
import { clientAddress, type DovetailConfig } from 'dovetailjs'

const encoder = new TextEncoder()

/** `bytes` bytes of a repeating, position-dependent pattern, so a lost or reordered chunk shows. */
export function patternBytes(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i++) out[i] = (i * 7 + (i >> 10)) & 0xff
  return out
}

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex')

/**
 * The routes every server adapter is checked with through a real web server
 * (see gateway-cases.ts). `release` resolves when the test has seen the first
 * chunk of /stream, so the rest is sent only after the first arrived.
 */
export function gatewayRoutes(release: () => Promise<void>): NonNullable<DovetailConfig['routes']> {
  return (r) => {
    r.get('/hello/:name', (ctx) =>
      ctx.json({
        name: ctx.params.name,
        query: Object.fromEntries([...ctx.searchParams.keys()].map((k) => [k, ctx.searchParams.getAll(k)])),
        method: ctx.request.method,
        url: ctx.request.url,
        client: clientAddress(ctx.request) ?? null,
      }),
    )
    r.post('/echo', async (ctx) => {
      const body = new Uint8Array(await ctx.request.arrayBuffer()) as Uint8Array<ArrayBuffer>
      return new Response(body, {
        status: 201,
        headers: { 'content-type': ctx.request.headers.get('content-type') ?? 'application/octet-stream', 'x-sha256': sha256(body) },
      })
    })
    r.get('/headers', (ctx) => {
      const headers = new Headers({ 'x-answer': '42', 'cache-control': 'no-store' })
      headers.append('set-cookie', 'a=1; Path=/; HttpOnly')
      headers.append('set-cookie', 'b=2; Path=/; SameSite=Lax')
      headers.append('set-cookie', 'c=3, with comma; Secure')
      const h = ctx.request.headers
      return ctx.json({ custom: h.get('x-custom'), many: h.get('x-many'), cookie: h.get('cookie'), accept: h.get('accept'), contentType: h.get('content-type') }, { headers })
    })
    r.get('/redirect', (ctx) => ctx.redirect('/hello/redirected?from=redirect'))
    r.post('/form', (ctx) => ctx.redirect('/hello/posted', 303))
    r.get('/status/:code', (ctx) => new Response(Number(ctx.params.code) === 204 ? null : `status ${ctx.params.code}`, { status: Number(ctx.params.code) }))
    r.get('/stream', () => {
      let step = 0
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          step++
          if (step === 1) return controller.enqueue(encoder.encode('first;'))
          if (step === 2) {
            await release()
            return controller.enqueue(encoder.encode('second;'))
          }
          controller.enqueue(encoder.encode('last'))
          controller.close()
        },
      })
      // nginx holds an SCGI response (headers too) in its buffers until they fill or the response ends;
      // X-Accel-Buffering: no makes it pass each chunk on (docs/deployment.md, "Streaming").
      return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8', 'x-accel-buffering': 'no' } })
    })
    r.get('/large', (ctx) => new Response(patternBytes(Number(ctx.query.bytes)), { headers: { 'content-type': 'application/octet-stream' } }))
    r.get('/large-text', (ctx) => ctx.text('x'.repeat(Number(ctx.query.bytes))))
  }
}
