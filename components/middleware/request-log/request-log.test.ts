import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createApp, HttpError, type ComponentSpec } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { requestLog } from 'dovetailjs/components/middleware/request-log'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/** An app whose pino logger writes into memory, so the test reads the real log lines. */
async function appWith(middleware: ComponentSpec[] = ['request-log']) {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  const app = await createApp({
    environment: 'production',
    components: { logger: pinoLogger({ destination: stream }), middleware },
    routes(r) {
      r.get('/items/:id', (ctx) => ctx.json({ id: ctx.params.id, requestId: ctx.state.requestId }))
      r.get('/forbidden', () => {
        throw new HttpError(403, 'No')
      })
      r.get('/crash', () => {
        throw new Error('kaput')
      })
      r.get('/away', () => Response.redirect('http://localhost/items/1', 302))
    },
  })
  const lines = () =>
    chunks
      .join('')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>)
  const requestLines = () => lines().filter((l) => 'durationMs' in l)
  return { app, client: createTestClient(app), lines, requestLines }
}

describe('middleware/request-log', () => {
  it('writes one line per request with method, path, status, duration and request id', async () => {
    const { app, client, requestLines } = await appWith()
    const res = await client.get('/items/42?token=secret')
    expect(res.status).toBe(200)
    const id = res.headers.get('x-request-id')!
    expect(id).toMatch(uuid)
    // the handler saw the same id
    expect(await res.json()).toEqual({ id: '42', requestId: id })

    const [line, ...more] = requestLines()
    expect(more).toEqual([])
    expect(line).toMatchObject({ level: 30, requestId: id, method: 'GET', path: '/items/42', status: 200, msg: 'GET /items/42 200' })
    expect(typeof line!.durationMs).toBe('number')
    expect(line!.durationMs).toBeGreaterThanOrEqual(0)
    // the query string (which may carry tokens) is not logged
    expect(JSON.stringify(line)).not.toContain('secret')
    await app.close()
  })

  it('gives every request its own id', async () => {
    const { app, client, requestLines } = await appWith()
    const ids = await Promise.all([1, 2, 3].map(async (n) => (await client.get(`/items/${n}`)).headers.get('x-request-id')))
    expect(new Set(ids).size).toBe(3)
    expect(requestLines().map((l) => l.requestId).sort()).toEqual([...ids].sort())
    await app.close()
  })

  it('does not trust a client-sent id unless told to', async () => {
    const { app, client, requestLines } = await appWith()
    const res = await client.get('/items/1', { headers: { 'x-request-id': 'forged-by-client' } })
    expect(res.headers.get('x-request-id')).toMatch(uuid)
    expect(requestLines()[0]!.requestId).not.toBe('forged-by-client')
    await app.close()
  })

  it('reuses a well-formed id from the trusted header, and replaces a malformed one', async () => {
    const { app, client, requestLines } = await appWith([requestLog({ trustHeader: 'X-Request-Id' })])
    const kept = await client.get('/items/1', { headers: { 'x-request-id': 'lb-7f3a:0001' } })
    expect(kept.headers.get('x-request-id')).toBe('lb-7f3a:0001')
    const tooLong = await client.get('/items/2', { headers: { 'x-request-id': 'a'.repeat(129) } })
    expect(tooLong.headers.get('x-request-id')).toMatch(uuid)
    const badChars = await client.get('/items/3', { headers: { 'x-request-id': '<script>alert(1)</script>' } })
    expect(badChars.headers.get('x-request-id')).toMatch(uuid)
    expect(requestLines().map((l) => l.requestId)).toEqual(['lb-7f3a:0001', tooLong.headers.get('x-request-id'), badChars.headers.get('x-request-id')])
    await app.close()
  })

  it('logs errors with the status they become: 404, 403 and 500', async () => {
    const { app, client, requestLines, lines } = await appWith()
    expect((await client.get('/nowhere')).status).toBe(404)
    expect((await client.get('/forbidden')).status).toBe(403)
    expect((await client.get('/crash')).status).toBe(500)
    expect(requestLines().map((l) => [l.path, l.status])).toEqual([
      ['/nowhere', 404],
      ['/forbidden', 403],
      ['/crash', 500],
    ])
    // the crash itself is logged once more, by the core, with its stack
    expect(lines().find((l) => l.msg === 'uncaught error while handling a request')?.err.message).toBe('kaput')
    await app.close()
  })

  it('sets the id header on responses with immutable headers, and can be renamed or turned off', async () => {
    const first = await appWith()
    const away = await first.client.get('/away')
    expect(away.status).toBe(302)
    expect(away.headers.get('x-request-id')).toMatch(uuid)
    await first.app.close()

    const renamed = await appWith([requestLog({ responseHeader: 'x-correlation-id' })])
    const res = await renamed.client.get('/items/1')
    expect(res.headers.get('x-correlation-id')).toMatch(uuid)
    expect(res.headers.has('x-request-id')).toBe(false)
    await renamed.app.close()

    const off = await appWith([requestLog({ responseHeader: false, level: 'warn' })])
    const quiet = await off.client.get('/items/1')
    expect(quiet.headers.has('x-request-id')).toBe(false)
    expect(off.requestLines()[0]).toMatchObject({ level: 40, status: 200 })
    await off.app.close()
  })

  it('refuses a malformed header name at startup, naming the option', async () => {
    const error = await createApp({ components: { middleware: [requestLog({ trustHeader: 'x request id' })] } }).catch((e: unknown) => e)
    expect((error as Error).message).toContain("Component 'middleware/request-log' has invalid options")
    expect((error as Error).message).toContain("option 'trustHeader'")
  })
})
