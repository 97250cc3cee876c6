import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, Logger } from 'dovetailjs'
import body, { readBody, readForm, readJson } from 'dovetailjs/components/middleware/body'
import node from 'dovetailjs/components/server/node'
import { multipart } from '../../components/middleware/body/test-helpers.js'
import { recordingLogger } from '../support/recording-logger.js'
import { openSocket, parseRaw, rawRequest, readUntilClosed } from '../support/raw-http.js'

// Hostile bodies sent as bytes to a served app with small limits. Each case
// states the status and that nothing was kept: no handler saw the body, no
// upload is left on disk, no prototype was touched.

let app: App
let port: number
let uploads: string
const handled: string[] = []

beforeAll(async () => {
  uploads = mkdtempSync(join(tmpdir(), 'dovetail-security-bodies-'))
  app = await createApp({
    environment: 'test',
    components: {
      server: node(),
      middleware: [body({ limits: { body: 1024, multipart: 4096, fields: 5, fieldSize: 256, files: 1, fileSize: 512 }, uploads: { dir: uploads } })],
    },
    register: (c) => c.value(Logger, recordingLogger()),
    routes: (r) => {
      r.post('/json', async (ctx) => {
        const value = await readJson(ctx)
        handled.push('json')
        return ctx.json({ keys: Object.keys(value as object) })
      })
      r.post('/form', async (ctx) => {
        const form = await readForm(ctx)
        handled.push('form')
        return ctx.json({ fields: Object.keys(form.fields) })
      })
      r.post('/any', async (ctx) => {
        await readBody(ctx)
        handled.push('any')
        return ctx.text('ok')
      })
    },
  })
  port = (await app.listen({ port: 0 })).port
})
afterAll(async () => {
  await app.close()
  rmSync(uploads, { recursive: true, force: true })
})

const post = (path: string, type: string, payload: string | Uint8Array, extra = '') => {
  const bytes = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload)
  return Buffer.concat([
    Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${bytes.byteLength}\r\n${extra}Connection: close\r\n\r\n`),
    bytes,
  ])
}

async function send(bytes: Buffer) {
  handled.length = 0
  const socket = await openSocket(port)
  const closed = readUntilClosed(socket)
  socket.write(bytes)
  return parseRaw(await closed)
}

describe('bodies: sizes', () => {
  it('answers 413 to a declared length over the limit and closes the connection without waiting for the body', async () => {
    handled.length = 0
    const socket = await openSocket(port)
    const closed = readUntilClosed(socket)
    // Only the head is sent; the server must not sit waiting for 10 MB.
    socket.write('POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000000\r\n\r\n{')
    const started = Date.now()
    const res = parseRaw(await closed)
    // keepAliveTimeout (5 s) would be the wait if the server kept the connection for the body.
    expect(Date.now() - started).toBeLessThan(3000)
    expect(res.status).toBe(413)
    expect(res.headers.connection).toBe('close')
    expect(handled).toEqual([])
  })

  it('answers 413 to a chunked body that grows past the limit', async () => {
    handled.length = 0
    const chunk = `400\r\n${'a'.repeat(0x400)}\r\n`
    const res = await rawRequest(port, `POST /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk}${chunk}0\r\n\r\n`)
    expect(res.status).toBe(413)
    expect(handled).toEqual([])
  })

  it('answers 413 to more form fields than allowed', async () => {
    const res = await send(post('/form', 'application/x-www-form-urlencoded', 'a=1&b=2&c=3&d=4&e=5&f=6'))
    expect(res.status).toBe(413)
    expect(handled).toEqual([])
  })

  it('answers 413 to one field over fieldSize', async () => {
    const res = await send(post('/form', 'application/x-www-form-urlencoded', `a=${'x'.repeat(300)}`))
    expect(res.status).toBe(413)
    expect(handled).toEqual([])
  })
})

describe('bodies: uploads leave nothing behind when refused', () => {
  const boundary = 'sec-boundary'
  const type = `multipart/form-data; boundary=${boundary}`

  it('answers 413 to a file over fileSize and keeps no temp file', async () => {
    const res = await send(post('/form', type, multipart([{ name: 'f', filename: 'big.bin', content: 'z'.repeat(600) }], boundary)))
    expect(res.status).toBe(413)
    expect(handled).toEqual([])
    expect(readdirSync(uploads)).toEqual([])
  })

  it('answers 413 to more files than allowed and keeps no temp file', async () => {
    const two = multipart(
      [
        { name: 'a', filename: 'a.txt', content: 'a' },
        { name: 'b', filename: 'b.txt', content: 'b' },
      ],
      boundary,
    )
    const res = await send(post('/form', type, two))
    expect(res.status).toBe(413)
    expect(readdirSync(uploads)).toEqual([])
  })

  it('answers 400 to a multipart body cut before its closing boundary and keeps no temp file', async () => {
    const cut = multipart([{ name: 'f', filename: 'a.txt', content: 'abc' }], boundary, false)
    const res = await send(post('/form', type, cut))
    expect(res.status).toBe(400)
    expect(handled).toEqual([])
    expect(readdirSync(uploads)).toEqual([])
  })

  it('answers 400 to multipart without a boundary', async () => {
    const res = await send(post('/form', 'multipart/form-data', multipart([{ name: 'a', value: '1' }], boundary)))
    expect(res.status).toBe(400)
    expect(handled).toEqual([])
  })
})

describe('bodies: content that would change the program', () => {
  it.each([
    ['a __proto__ key', '{"__proto__":{"polluted":true}}'],
    ['a nested __proto__ key', '{"a":{"__proto__":{"polluted":true}}}'],
    ['a constructor.prototype path', '{"constructor":{"prototype":{"polluted":true}}}'],
  ])('answers 400 to JSON with %s and leaves Object.prototype alone', async (_, json) => {
    const res = await send(post('/json', 'application/json', json))
    expect(res.status).toBe(400)
    expect(handled).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('keeps a urlencoded __proto__ field an ordinary field', async () => {
    const res = await send(post('/form', 'application/x-www-form-urlencoded', '__proto__=x&constructor=y'))
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ fields: ['__proto__', 'constructor'] })
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('answers 400 to deeply nested JSON that never closes', async () => {
    const res = await send(post('/json', 'application/json', '['.repeat(1000)))
    expect(res.status).toBe(400)
    expect(handled).toEqual([])
  })
})

describe('bodies: types the app did not ask for', () => {
  it.each([
    ['text/plain', 'application/x-www-form-urlencoded sent as text'],
    ['application/json; charset=utf-16', '{"a":1}'],
    ['application/xml', '<a/>'],
  ])('answers 415 to %s', async (type, payload) => {
    const res = await send(post('/any', type, payload))
    expect(res.status).toBe(415)
    expect(handled).toEqual([])
  })

  it('answers 415 to a compressed body it cannot read rather than parsing the compressed bytes', async () => {
    const res = await send(post('/json', 'application/json', '\u001f\u008b\u0008garbage', 'Content-Encoding: gzip\r\n'))
    expect(res.status).toBe(415)
    expect(res.headers['accept-encoding']).toBe('identity')
    expect(handled).toEqual([])
  })
})
