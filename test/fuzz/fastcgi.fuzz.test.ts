import { EventEmitter } from 'node:events'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListeningServer } from 'dovetailjs'
import { FastCgiServer, fastcgiServerOptions } from 'dovetailjs/components/server/fastcgi'
import { encodePairs, encodeRecord, FastCgiClient, type FastCgiRecord, parseCgiResponse, RecordType } from '../support/fastcgi-client.js'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'
import { applyEdits, type AppRecord, byteEdits, chunked, cuts, newRecord, recordingHandler, watchUnhandledRejections, writeChunks } from '../support/gateway-fuzz.js'
import { within } from '../support/gateway-wait.js'
import { gate } from '../support/raw-http.js'
import { recordingLogger } from '../support/recording-logger.js'

// A FastCGI responder reads whatever a peer on its port sends. Whatever the bytes, however
// they are cut into chunks: no crash, no unhandled rejection, no hang; at most one END_REQUEST
// per BEGIN_REQUEST, answers only for requests begun, the app called at most once per PARAMS
// stream ended, every answer the app's (200) or a refusal (4xx, or a refusing END_REQUEST);
// and one connection never holds more requests than maxRequestsInFlight.

const maxHeaderSize = 1024
const maxBodySize = 4096
const maxRequestsInFlight = 3
/** How long one exchange may take before it counts as a hang: far above the milliseconds one takes, even on a busy machine. */
const hangAfter = 10_000

let listening: ListeningServer
let record: AppRecord
let holding: ListeningServer
let held: AppRecord
let release = gate()
const watcher = watchUnhandledRejections()

beforeAll(async () => {
  const options = fastcgiServerOptions.parse({ maxHeaderSize, maxBodySize, maxRequestsInFlight })
  record = newRecord()
  listening = await new FastCgiServer(options, recordingLogger()).listen(recordingHandler(record), { port: 0, host: '127.0.0.1' })
  held = newRecord()
  holding = await new FastCgiServer(options, recordingLogger()).listen(
    recordingHandler(held, () => (changed.emit('change'), release.promise)),
    { port: 0, host: '127.0.0.1' },
  )
})
afterAll(async () => {
  watcher.stop()
  release.open()
  await listening?.close()
  await holding?.close()
})

/** Told whenever records arrive or the app is called: what {@link until} waits on rather than polling. */
const changed = new EventEmitter()

/** Resolve once `condition` holds, checking it on each change (and every 50 ms besides); fail after `hangAfter`. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now()
  while (!condition()) {
    if (Date.now() - started > hangAfter) throw new Error(`${what} did not happen within ${hangAfter} ms`)
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer)
        changed.off('change', done)
        resolve()
      }
      const timer = setTimeout(done, 50)
      changed.on('change', done)
    })
  }
}

/** A FastCGI client whose incoming records tell {@link until}. */
async function openClient(port: number): Promise<FastCgiClient> {
  const client = await FastCgiClient.open(port)
  client.socket.on('data', () => changed.emit('change'))
  client.socket.once('close', () => changed.emit('change'))
  return client
}

/**
 * Open a connection, write the chunks, end our side, and collect the records
 * until the server closes it. Ending is how a web server gives up (the server
 * then drops what is in flight), so with `answers` it first waits for that
 * many END_REQUESTs, as a web server waits for its answers.
 */
async function exchange(chunks: readonly Buffer[], answers = 0): Promise<{ records: FastCgiRecord[]; reached: number }> {
  const before = record.calls
  const client = await openClient(listening.port)
  try {
    await writeChunks(client.socket, chunks, false)
    await until(() => client.isClosed || client.records.filter((r) => r.type === RecordType.endRequest).length >= answers, 'the answers')
    client.socket.end()
    await within(client.closed, hangAfter, 'the FastCGI server closing the connection')
  } finally {
    client.socket.destroy()
  }
  return { records: client.records, reached: record.calls - before }
}

/** The records of a stream as the spec frames them, up to the first that is not version 1 or is cut short. */
function framed(bytes: Buffer): FastCgiRecord[] {
  const records: FastCgiRecord[] = []
  for (let at = 0; at + 8 <= bytes.length && bytes[at] === 1; ) {
    const end = at + 8 + bytes.readUInt16BE(at + 4) + bytes[at + 6]!
    if (end > bytes.length) break
    records.push({ type: bytes[at + 1]!, requestId: bytes.readUInt16BE(at + 2), content: bytes.subarray(at + 8, at + 8 + bytes.readUInt16BE(at + 4)) })
    at = end
  }
  return records
}

/** The invariants every exchange keeps, whatever was sent. */
function checkOutcome(sent: Buffer, { records, reached }: { records: FastCgiRecord[]; reached: number }): { answered: Map<number, number[]> } {
  const input = framed(sent)
  const begun = new Map<number, number>()
  for (const r of input) if (r.type === RecordType.beginRequest) begun.set(r.requestId, (begun.get(r.requestId) ?? 0) + 1)
  const paramsEnded = input.filter((r) => r.type === RecordType.params && r.content.length === 0 && r.requestId !== 0).length
  expect(reached, 'the app was called more often than PARAMS streams ended').toBeLessThanOrEqual(paramsEnded)

  // Each response is the STDOUT of its id up to its END_REQUEST.
  const stdout = new Map<number, Buffer[]>()
  const answered = new Map<number, number[]>()
  for (const r of records) {
    if (r.requestId === 0) {
      expect([RecordType.getValuesResult, RecordType.unknownType], `a management answer of type ${r.type}`).toContain(r.type)
      continue
    }
    expect(begun.has(r.requestId), `an answer for request ${r.requestId}, never begun`).toBe(true)
    if (r.type === RecordType.stdout) {
      stdout.set(r.requestId, [...(stdout.get(r.requestId) ?? []), r.content])
      continue
    }
    expect(r.type, 'a record a responder does not send').toBe(RecordType.endRequest)
    const response = Buffer.concat(stdout.get(r.requestId) ?? [])
    stdout.delete(r.requestId)
    const protocolStatus = r.content[4]!
    if (protocolStatus === 0) {
      // An empty STDOUT: an FCGI_ABORT_REQUEST answered before the app was called.
      const status = response.length ? parseCgiResponse(response).status : 0
      expect([0, 200, 400, 413, 431], `answered ${response.toString('latin1').slice(0, 80)}`).toContain(status)
      answered.set(r.requestId, [...(answered.get(r.requestId) ?? []), status])
    } else {
      // FCGI_OVERLOADED or FCGI_UNKNOWN_ROLE, with nothing on STDOUT.
      expect([2, 3]).toContain(protocolStatus)
      expect(response.length).toBe(0)
      answered.set(r.requestId, [...(answered.get(r.requestId) ?? []), -protocolStatus])
    }
  }
  for (const [id, statuses] of answered) expect(statuses.length, `END_REQUESTs for request ${id}`).toBeLessThanOrEqual(begun.get(id) ?? 0)
  const appAnswers = [...answered.values()].flat().filter((s) => s === 200).length
  expect(appAnswers).toBeLessThanOrEqual(reached)
  return { answered }
}

const pairs = fc.array(fc.tuple(fc.constantFrom('REQUEST_METHOD', 'REQUEST_URI', 'CONTENT_LENGTH', 'HTTP_HOST', 'PATH_INFO', 'HTTP_X_A', 'FCGI_MPXS_CONNS'), fc.constantFrom('', 'GET', 'POST', '/', '/a?b', '3', '0', 'x y', 'h.test', '\n')), { maxLength: 5 })

/** A record with a plausible header and a random one now and then: types, ids, contents and padding a web server might send, or not. */
const anyRecord = fc
  .record({
    version: fc.oneof({ weight: 19, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    type: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(1, 2, 4, 5, 9) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
    id: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(1, 2) }, { weight: 1, arbitrary: fc.constantFrom(0, 3, 4, 0xffff) }),
    content: fc.oneof(
      fc.tuple(fc.constantFrom(1, 1, 1, 2, 3, 0), fc.integer({ min: 0, max: 255 })).map(([role, flags]) => Buffer.from([0, role, flags, 0, 0, 0, 0, 0])),
      pairs.map((p) => encodePairs(p)),
      // PARAMS around maxHeaderSize: answered 431, not held.
      fc.integer({ min: maxHeaderSize - 64, max: 3 * maxHeaderSize }).map((n) => encodePairs([['HTTP_X_PAD', 'p'.repeat(n)]])),
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
      fc.constant(Buffer.alloc(0)),
    ),
    padding: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 255 }) }),
  })
  .map(({ version, type, id, content, padding }) => {
    const header = Buffer.from([version, type, id >> 8, id & 0xff, content.length >> 8, content.length & 0xff, padding, 0])
    return Buffer.concat([header, content, Buffer.alloc(padding)])
  })

/** One well-formed request's records: BEGIN_REQUEST (keep the connection), PARAMS, their end, STDIN, its end. */
const validRequest = (id: number) =>
  fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'HEAD'),
      path: fc.webPath(),
      body: fc.uint8Array({ maxLength: 200 }),
      splitParams: fc.nat(),
      headers: fc.array(fc.tuple(fc.constantFrom('HTTP_X_A', 'HTTP_COOKIE'), fc.string({ unit: fc.constantFrom(...'abc =;/'.split('')), maxLength: 12 })), { maxLength: 3 }),
    })
    .map(({ method, path, body, splitParams, headers }) => {
      const params = encodePairs([
        ['REQUEST_METHOD', method],
        ['REQUEST_URI', path.startsWith('/') ? path : `/${path}`],
        ['SERVER_NAME', 'fcgi.test'],
        ['CONTENT_LENGTH', String(body.length)],
        ...headers,
      ])
      // The PARAMS stream in two records (an empty one would end it).
      const cut = 1 + (splitParams % (params.length - 1))
      return [
        encodeRecord(RecordType.beginRequest, id, Buffer.from([0, 1, 1, 0, 0, 0, 0, 0])),
        encodeRecord(RecordType.params, id, params.subarray(0, cut)),
        encodeRecord(RecordType.params, id, params.subarray(cut)),
        encodeRecord(RecordType.params, id),
        ...(body.length ? [encodeRecord(RecordType.stdin, id, Buffer.from(body))] : []),
        encodeRecord(RecordType.stdin, id),
      ]
    })

/** One to three well-formed requests on distinct ids, their records interleaved (multiplexed) as `picks` say. */
const validStream = fc
  .uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 3 })
  .chain((ids) => fc.tuple(fc.constant(ids), fc.tuple(...ids.map(validRequest)), fc.array(fc.nat(), { maxLength: 30 })))
  .map(([ids, requests, picks]) => {
    const queues = requests.map((records) => [...records])
    const out: Buffer[] = []
    let turn = 0
    while (queues.some((q) => q.length)) {
      const open = queues.filter((q) => q.length)
      out.push(open[(picks[turn++] ?? 0) % open.length]!.shift()!)
    }
    return { ids, bytes: Buffer.concat(out) }
  })

describe('FastCGI fuzz', () => {
  it('arbitrary bytes in arbitrary chunks, then the end of the connection', { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), cuts, async (bytes, points) => {
        const sent = Buffer.from(bytes)
        checkOutcome(sent, await exchange(chunked(sent, points)))
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('streams of plausible and random records (roles, ids reused in flight, streams out of order, padding) in arbitrary chunks', { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyRecord, { maxLength: 24 }), cuts, async (records, points) => {
        const sent = Buffer.concat(records)
        checkOutcome(sent, await exchange(chunked(sent, points)))
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('edits of well-formed multiplexed requests in arbitrary chunks: untouched, each is answered by the app exactly once', { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(validStream, byteEdits(), cuts, async ({ ids, bytes }, edits, points) => {
        const sent = applyEdits(bytes, edits)
        const outcome = await exchange(chunked(sent, points), sent.equals(bytes) ? ids.length : 0)
        const { answered } = checkOutcome(sent, outcome)
        if (sent.equals(bytes)) {
          expect(outcome.reached).toBe(ids.length)
          for (const id of ids) expect(answered.get(id), `request ${id}`).toEqual([200])
        }
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it(`bounded: a connection holds at most maxRequestsInFlight (${maxRequestsInFlight}) requests; more are refused with FCGI_OVERLOADED`, { timeout: fuzzTimeout() }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 0xffff }), { minLength: 1, maxLength: 12 }), cuts, async (ids, points) => {
        release = gate()
        held.maxInFlight = 0
        const before = held.calls
        const client = await openClient(holding.port)
        try {
          const stream = Buffer.concat(ids.flatMap((id) => [
            encodeRecord(RecordType.beginRequest, id, Buffer.from([0, 1, 1, 0, 0, 0, 0, 0])),
            encodeRecord(RecordType.params, id, encodePairs([['REQUEST_URI', `/${id}`], ['SERVER_NAME', 'fcgi.test']])),
            encodeRecord(RecordType.params, id),
            encodeRecord(RecordType.stdin, id),
          ]))
          await writeChunks(client.socket, chunked(stream, points), false)
          const refused = Math.max(0, ids.length - maxRequestsInFlight)
          const overloaded = () => client.records.filter((r) => r.type === RecordType.endRequest && r.content[4] === 2).length
          await until(() => overloaded() === refused && held.calls - before === ids.length - refused, 'the refusals and the calls')
          expect(held.maxInFlight).toBeLessThanOrEqual(maxRequestsInFlight)
          release.open()
          const ends = () => client.records.filter((r) => r.type === RecordType.endRequest).length
          await until(() => ends() === ids.length, 'every END_REQUEST')
          expect(overloaded()).toBe(refused)
          expect(held.calls - before).toBe(ids.length - refused)
        } finally {
          release.open()
          client.socket.destroy()
        }
      }),
      fuzzParameters(),
    )
    expect(watcher.rejections).toEqual([])
  })

  it('the server still answers a well-formed request after all that', async () => {
    const client = await FastCgiClient.open(listening.port)
    try {
      client.request(1, 'POST', '/after', { body: 'body' })
      const answer = await client.answer(1)
      expect(answer.status).toBe(200)
      expect(answer.body.toString()).toBe('reached')
    } finally {
      client.socket.destroy()
    }
  })
})
