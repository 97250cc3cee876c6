import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListeningServer } from 'dovetailjs'
import { ScgiServer, scgiServerOptions } from 'dovetailjs/components/server/scgi'
import { parseCgiResponse } from '../support/fastcgi-client.js'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'
import { applyEdits, type AppRecord, byteEdits, chunked, controlCharacter, cuts, newRecord, recordingHandler, watchUnhandledRejections, writeChunks } from '../support/gateway-fuzz.js'
import { within } from '../support/gateway-wait.js'
import { openSocket } from '../support/raw-http.js'
import { recordingLogger } from '../support/recording-logger.js'
import { scgiRequest } from '../support/scgi-client.js'

// An SCGI server reads whatever a peer on its port sends. Whatever the bytes, however they are
// cut into chunks: no crash, no unhandled rejection, no hang; a request reaches the app only if
// the spec's reading of the bytes (the oracle below, written apart from the server's parser)
// finds a well-formed one, and anything else is answered 4xx and the connection closed; the
// server holds no more than its header limit waiting for a netstring to end.

const maxHeaderSize = 1024
const maxBodySize = 4096
/** How long one exchange may take before it counts as a hang: far above the milliseconds one takes, even on a busy machine. */
const hangAfter = 10_000

let listening: ListeningServer
let record: AppRecord
const watcher = watchUnhandledRejections()

beforeAll(async () => {
  record = newRecord()
  listening = await new ScgiServer(scgiServerOptions.parse({ maxHeaderSize, maxBodySize }), recordingLogger()).listen(recordingHandler(record), { port: 0, host: '127.0.0.1' })
})
afterAll(async () => {
  watcher.stop()
  await listening?.close()
})

/** Open a connection, write the chunks (then end our side, if `end`), read until the server closes it. */
async function exchange(chunks: readonly Buffer[], end: boolean): Promise<{ raw: Buffer; reached: number; status: number }> {
  const before = record.calls
  const socket = await openSocket(listening.port)
  const received: Buffer[] = []
  socket.on('data', (c: Buffer) => received.push(c))
  socket.on('error', () => {})
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  try {
    await writeChunks(socket, chunks, end)
    await within(closed, hangAfter, 'the SCGI server closing the connection')
  } finally {
    socket.destroy()
  }
  const raw = Buffer.concat(received)
  return { raw, reached: record.calls - before, status: parseCgiResponse(raw).status }
}

const pathVariables = new Set(['REQUEST_URI', 'SCRIPT_NAME', 'PATH_INFO', 'QUERY_STRING'])

/** The spec's reading of an SCGI request's header netstring (https://python.ca/scgi/protocol.txt), plus the path rule: would a strict server pass it to the app? */
function wellFormed(bytes: Buffer): boolean {
  const colon = bytes.indexOf(':')
  if (colon < 1) return false
  const digits = bytes.toString('latin1', 0, colon)
  if (!/^(0|[1-9][0-9]*)$/.test(digits) || Number(digits) > maxHeaderSize) return false
  const length = Number(digits)
  if (bytes.length < colon + 1 + length + 1 || bytes[colon + 1 + length] !== 0x2c) return false
  const block = bytes.subarray(colon + 1, colon + 1 + length)
  if (length === 0 || block[length - 1] !== 0) return false
  const strings = block.toString('latin1', 0, length - 1).split('\0')
  if (strings.length % 2 !== 0) return false
  const seen = new Set<string>()
  for (let i = 0; i < strings.length; i += 2) {
    const [name, value] = [strings[i]!, strings[i + 1]!]
    if (name === '' || (seen.has(name) && !name.startsWith('HTTP_'))) return false
    if (pathVariables.has(name) && controlCharacter.test(value)) return false
    seen.add(name)
  }
  if (strings[0] !== 'CONTENT_LENGTH' || !/^[0-9]+$/.test(strings[1]!)) return false
  return strings.some((s, i) => i % 2 === 0 && s === 'SCGI' && strings[i + 1] === '1')
}

/** The invariants every exchange keeps, whatever was sent. */
function checkOutcome(sent: Buffer, outcome: { raw: Buffer; reached: number; status: number }): void {
  expect(outcome.reached).toBeLessThanOrEqual(1)
  if (outcome.reached) {
    expect(wellFormed(sent), 'a request reached the app that the spec does not allow').toBe(true)
    // The app's own answers: 200, or 400 when the body it read was cut short; or none, when the end of
    // the connection (a web server giving up) came before the answer.
    if (outcome.raw.length) expect([200, 400]).toContain(outcome.status)
  } else if (sent.length > 0) {
    expect([400, 413, 431], `not reached, answered ${outcome.raw.toString('latin1').slice(0, 80)}`).toContain(outcome.status)
  }
}

/** A well-formed request: a method, a path and query, variables of unique names (headers repeat), a body. */
const validRequest = fc
  .record({
    method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD', 'DELETE'),
    path: fc.webPath(),
    query: fc.webQueryParameters(),
    headers: fc.array(fc.tuple(fc.constantFrom('HTTP_X_A', 'HTTP_COOKIE', 'HTTP_ACCEPT', 'HTTP_X_FORWARDED_FOR'), fc.string({ unit: fc.constantFrom(...'abc =;,/-.0123'.split('')), maxLength: 20 })), { maxLength: 4 }),
    variables: fc.uniqueArray(fc.tuple(fc.constantFrom('REMOTE_ADDR', 'HTTPS', 'PATH_INFO', 'SCRIPT_NAME', 'REQUEST_SCHEME', 'DOCUMENT_ROOT'), fc.constantFrom('', '/a', 'on', '203.0.113.9', 'x y')), {
      maxLength: 4,
      selector: ([name]) => name,
    }),
    body: fc.uint8Array({ maxLength: 300 }),
  })
  .map(({ method, path, query, headers, variables, body }) => scgiRequest(method, `${path.startsWith('/') ? path : `/${path}`}${query ? `?${query}` : ''}`, Buffer.from(body), [...variables, ...headers]))

describe('SCGI fuzz', () => {
  it('arbitrary bytes in arbitrary chunks, then the end of the connection: answered 4xx and closed, never reaching the app', { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), cuts, async (bytes, points) => {
        const sent = Buffer.from(bytes)
        checkOutcome(sent, await exchange(chunked(sent, points), true))
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('edits of a well-formed request in arbitrary chunks: the app gets it only if it is still well-formed, untouched ones always', { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(validRequest, byteEdits(), cuts, async (valid, edits, points) => {
        const sent = applyEdits(valid, edits)
        // An edited request may be cut short, so end it as a web server giving up would; a whole one waits for its answer.
        const outcome = await exchange(chunked(sent, points), !sent.equals(valid))
        checkOutcome(sent, outcome)
        if (sent.equals(valid)) {
          expect(outcome.reached).toBe(1)
          expect(outcome.status).toBe(200)
        }
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('bounded: a stream past the header limit that never ends is decided without waiting for more', { timeout: fuzzTimeout() }, async () => {
    // Random bytes longer than a header can be, or a length prefix (up to the limit) followed by that many random bytes and more.
    const longStream = fc.oneof(
      fc.uint8Array({ minLength: maxHeaderSize + 16, maxLength: 3 * maxHeaderSize }),
      fc
        .tuple(fc.integer({ min: 0, max: maxHeaderSize }), fc.integer({ min: 1, max: 64 }))
        .chain(([length, extra]) => fc.uint8Array({ minLength: length + extra, maxLength: length + extra }).map((rest) => Buffer.concat([Buffer.from(`${length}:`), rest]))),
    )
    await fc.assert(
      fc.asyncProperty(longStream, cuts, async (bytes, points) => {
        const sent = Buffer.from(bytes)
        checkOutcome(sent, await exchange(chunked(sent, points), false))
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('the server still answers a well-formed request after all that', async () => {
    const outcome = await exchange([scgiRequest('POST', '/after', 'body')], false)
    expect(outcome).toMatchObject({ reached: 1, status: 200 })
  })
})
