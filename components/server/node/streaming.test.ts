import { createHash, randomBytes } from 'node:crypto'
import { get, request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig } from 'dovetailjs'
import { gate, pushBody } from '../../../test/support/raw-http.js'

const encoder = new TextEncoder()
const bytes = (s: string) => encoder.encode(s)

/** Fail with a message instead of hanging until the test timeout. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    )
  })
}

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function serve(routes: DovetailConfig['routes']): Promise<string> {
  app = await createApp({ environment: 'test', routes })
  return (await app.listen({ port: 0 })).url
}

describe('server/node: streaming responses', () => {
  it('sends each chunk as it is produced, before the stream has finished', async () => {
    const rest = gate()
    let pulls = 0
    const url = await serve((r) =>
      r.get('/stream', () =>
        new Response(
          new ReadableStream({
            async pull(c) {
              if (pulls++ === 0) return c.enqueue(bytes('first;'))
              await rest.promise
              c.enqueue(bytes('second'))
              c.close()
            },
          }),
          { headers: { 'content-type': 'text/plain' } },
        ),
      ),
    )
    const res = await fetch(`${url}/stream`)
    expect(res.headers.get('transfer-encoding')).toBe('chunked')
    const reader = res.body!.getReader()
    const first = await within(reader.read(), 5000, 'the first chunk arriving while the server still holds the rest')
    expect(new TextDecoder().decode(first.value)).toBe('first;')
    rest.open()
    let tail = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) tail += new TextDecoder().decode(chunk.value)
    expect(tail).toBe('second')
  })

  it('cancels the body stream when the client goes away mid-response', async () => {
    const cancelled = gate<unknown>()
    const url = await serve((r) =>
      r.get('/forever', () =>
        new Response(
          new ReadableStream({
            async pull(c) {
              c.enqueue(bytes('tick\n'))
              await new Promise((resolve) => setTimeout(resolve, 10))
            },
            cancel(reason) {
              cancelled.open(reason)
            },
          }),
        ),
      ),
    )
    await new Promise<void>((resolve, reject) => {
      const req = get(`${url}/forever`, (res) => {
        res.once('data', () => {
          req.destroy()
          resolve()
        })
      })
      req.on('error', (e: NodeJS.ErrnoException) => (e.code === 'ECONNRESET' ? undefined : reject(e)))
    })
    await within(cancelled.promise, 5000, "the stream's cancel()")
  })

  it('aborts ctx.request.signal when the client disconnects before the response', async () => {
    const started = gate()
    const aborted = gate<boolean>()
    const url = await serve((r) =>
      r.get('/wait', async (ctx) => {
        const signal = ctx.request.signal
        started.open()
        await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
        aborted.open(signal.aborted)
        return ctx.text('too late')
      }),
    )
    const req = get(`${url}/wait`)
    req.on('error', () => {})
    await within(started.promise, 5000, 'the handler starting')
    req.destroy()
    expect(await within(aborted.promise, 5000, 'the abort signal')).toBe(true)
  })
})

describe('server/node: request bodies', () => {
  it('receives a large POST body intact (await ctx.request.text())', async () => {
    const url = await serve((r) =>
      r.post('/upload', async (ctx) => {
        const text = await ctx.request.text()
        return ctx.json({ length: text.length, sha256: createHash('sha256').update(text).digest('hex') })
      }),
    )
    const body = randomBytes(3 * 1024 * 1024).toString('base64') // 4 MiB of text
    const res = await fetch(`${url}/upload`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })
    expect(await res.json()).toEqual({ length: body.length, sha256: createHash('sha256').update(body).digest('hex') })
  })

  it('lets the handler read the first chunk while the client is still sending', async () => {
    const url = await serve((r) =>
      r.post('/first', async (ctx) => {
        const { value } = await ctx.request.body!.getReader().read()
        return ctx.text(`got ${new TextDecoder().decode(value)}`)
      }),
    )
    const req = request(`${url}/first`, { method: 'POST', headers: { 'transfer-encoding': 'chunked', connection: 'close' } })
    req.on('error', () => {})
    const answered = new Promise<string>((resolve) =>
      req.once('response', (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.once('end', () => resolve(text))
      }),
    )
    req.write('hello')
    // The request is still open: the answer can only come from streaming.
    expect(await within(answered, 5000, 'the response to an unfinished request')).toBe('got hello')
    req.end()
  })
})

describe('server/node: answering before the body is read', () => {
  const refuse = (r: Parameters<NonNullable<DovetailConfig['routes']>>[0]) => {
    // Reads a little, then refuses: the client is still sending most of its body.
    r.post('/refuse', async (ctx) => {
      await ctx.request.body!.getReader().read()
      return ctx.text('too large', { status: 413 })
    })
    r.post('/cancel', async (ctx) => {
      const reader = ctx.request.body!.getReader()
      await reader.read()
      await reader.cancel()
      return ctx.text('cancelled')
    })
    r.post('/ignore', (ctx) => ctx.text(`ignored ${ctx.request.method}`))
    // Builds the full Request (the signal) but leaves its body alone.
    r.post('/signal-only', (ctx) => ctx.text(`aborted: ${ctx.request.signal.aborted}`, { status: 413 }))
  }

  it('delivers an early 413 to a client still sending, chunked or with a length, request after request', async () => {
    const url = await serve(refuse)
    for (const headers of [{}, { 'content-length': String(1024 * 1024) }, {}] as Record<string, string>[]) {
      expect(await within(pushBody(`${url}/refuse`, 1024 * 1024, headers), 5000, 'the 413')).toEqual({ status: 413, body: 'too large' })
    }
  })

  it('delivers the answer when the handler cancels the body stream, request after request', async () => {
    const url = await serve(refuse)
    for (let i = 0; i < 3; i++) {
      expect(await within(pushBody(`${url}/cancel`, 1024 * 1024), 5000, 'the answer')).toEqual({ status: 200, body: 'cancelled' })
    }
  })

  it('delivers the answer when the handler never touches the body', async () => {
    const url = await serve(refuse)
    expect(await within(pushBody(`${url}/ignore`, 2 * 1024 * 1024), 5000, 'the answer')).toEqual({ status: 200, body: 'ignored POST' })
  })

  it('delivers the answer when the handler builds the Request but leaves the body unread, request after request', async () => {
    const url = await serve(refuse)
    // One after the other, so the second may reuse the first one's keep-alive connection.
    for (const headers of [{ 'content-length': String(1024 * 1024) }, {}, {}] as Record<string, string>[]) {
      expect(await within(pushBody(`${url}/signal-only`, 1024 * 1024, headers), 5000, 'the answer')).toEqual({ status: 413, body: 'aborted: false' })
    }
  })

  it('keeps the connection usable for the next request after an early answer', async () => {
    const url = await serve(refuse)
    await pushBody(`${url}/refuse`, 512 * 1024)
    const res = await fetch(`${url}/ignore`, { method: 'POST', body: 'small' })
    expect(await res.text()).toBe('ignored POST')
  })
})

describe('server/node: headers', () => {
  it('keeps every Set-Cookie header, from plain and from helper responses', async () => {
    const url = await serve((r) => {
      r.get('/plain', () => {
        const headers = new Headers()
        headers.append('set-cookie', 'a=1; Path=/')
        headers.append('set-cookie', 'b=2; HttpOnly')
        headers.append('set-cookie', 'c=3, with comma; Secure')
        return new Response('plain', { headers })
      })
      r.get('/helper', (ctx) => {
        const headers = new Headers([['set-cookie', 'x=1'], ['set-cookie', 'y=2']])
        return ctx.text('helper', { headers })
      })
    })
    const cookies = (path: string) =>
      new Promise<string[] | undefined>((resolve, reject) => {
        get(`${url}${path}`, (res) => {
          res.resume()
          resolve(res.headers['set-cookie'])
        }).on('error', reject)
      })
    expect(await cookies('/plain')).toEqual(['a=1; Path=/', 'b=2; HttpOnly', 'c=3, with comma; Secure'])
    expect(await cookies('/helper')).toEqual(['x=1', 'y=2'])
  })

  it('writes a helper response with its exact content-length', async () => {
    const url = await serve((r) => r.get('/t', (ctx) => ctx.text('héllo')))
    const res = await fetch(`${url}/t`)
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength('héllo')))
    expect(await res.text()).toBe('héllo')
  })
})
