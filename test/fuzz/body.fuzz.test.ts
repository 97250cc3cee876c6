import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, type Context, createApp, defineConfig, Logger } from 'dovetailjs'
import body, { type BodyOptions, readBody, readForm, readJson } from 'dovetailjs/components/middleware/body'
import { multipart, type Part } from '../../components/middleware/body/test-helpers.js'
import { fuzzParameters, fuzzTimeout } from '../support/fuzz.js'
import { edits, mutateBytes } from '../support/mutations.js'
import { recordingLogger } from '../support/recording-logger.js'

// Request bodies are the largest thing a client sends. Whatever the bytes, however
// they are cut into chunks: the body middleware answers 2xx or 4xx (never a
// crash, never a 500), always answers (no hang), never hands the handler more
// than its limits allow, never reads far past a limit before refusing, and
// leaves no upload behind.

const limits = { body: 2048, multipart: 4096, fields: 6, fieldSize: 256, files: 2, fileSize: 512 } as const
const boundary = 'fuzz-boundary-7f3a'
/** How long one request may take before it counts as a hang: far above the milliseconds one takes, even on a busy machine. */
const hangAfter = 10_000

let uploads: string
const apps: Record<'disk' | 'memory', App> = {} as never
const logger = recordingLogger()

/** What the handler saw, as JSON: enough to check the limits against. */
async function describeBody(ctx: Context, read: 'any' | 'json' | 'form') {
  const parsed = read === 'json' ? { type: 'json' as const, value: await readJson(ctx) } : read === 'form' ? { type: 'form' as const, form: await readForm(ctx) } : await readBody(ctx)
  if (parsed.type !== 'form') return parsed
  const names = Object.keys(parsed.form.fields)
  return {
    type: 'form',
    fields: names.map((name) => [name, parsed.form.getAll(name)]),
    files: await Promise.all(parsed.form.files.map(async (f) => ({ field: f.field, filename: f.filename, size: f.size, bytes: Buffer.from(await f.bytes()).toString('base64') }))),
  }
}

beforeAll(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'dovetail-fuzz-body-'))
  for (const storage of ['disk', 'memory'] as const) {
    const options: BodyOptions = { limits, uploads: { storage, dir: uploads } }
    apps[storage] = await createApp(
      defineConfig({
        environment: 'test',
        components: { middleware: [body(options)] },
        register: (c) => void c.value(Logger, logger),
        routes(r) {
          r.post('/any', async (ctx) => ctx.json(await describeBody(ctx, 'any')))
          r.post('/json', async (ctx) => ctx.json(await describeBody(ctx, 'json')))
          r.post('/form', async (ctx) => ctx.json(await describeBody(ctx, 'form')))
        },
      }),
    )
  }
})
afterAll(async () => {
  for (const app of Object.values(apps)) await app?.close()
  await rm(uploads, { recursive: true, force: true })
})

/** `bytes` cut at the given points (some cuts make empty chunks), as a stream that hands out one chunk per pull. */
function chunked(bytes: Uint8Array, cuts: readonly number[]): ReadableStream<Uint8Array> {
  const points = [...new Set(cuts.map((c) => c % (bytes.byteLength + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of [...points, bytes.byteLength]) {
    chunks.push(bytes.slice(start, point))
    start = point
  }
  return new ReadableStream<Uint8Array>({ pull: (c) => void (chunks.length ? c.enqueue(chunks.shift()!) : c.close()) }, { highWaterMark: 0 })
}

interface Sent {
  route: 'any' | 'json' | 'form'
  storage: 'disk' | 'memory'
  contentType: string | undefined
  bytes: Uint8Array
  cuts: number[]
  /** `exact`, none, or a number that may be wrong. */
  length: 'exact' | 'none' | number
}

interface Answer {
  status: number
  body: any
}

async function send(sent: Sent): Promise<Answer> {
  const headers = new Headers()
  if (sent.contentType !== undefined) headers.set('content-type', sent.contentType)
  if (sent.length !== 'none') headers.set('content-length', String(sent.length === 'exact' ? sent.bytes.byteLength : sent.length))
  const request = new Request(`http://localhost/${sent.route}`, { method: 'POST', headers, body: chunked(sent.bytes, sent.cuts), duplex: 'half' } as RequestInit)
  return within(apps[sent.storage].fetch(request))
}

/** The response, read to its end, or a failure after {@link hangAfter} ms. */
async function within(responding: Promise<Response>): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${hangAfter} ms: the body middleware hung`)), hangAfter)
  })
  try {
    return await Promise.race([
      (async () => {
        const response = await responding
        const text = await response.text()
        return { status: response.status, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : text }
      })(),
      hung,
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** The checks every answer must pass, whatever was sent. */
async function expectSafe(answer: Answer): Promise<void> {
  expect(answer.status === 200 || (answer.status >= 400 && answer.status < 500), `status ${answer.status}: ${JSON.stringify(answer.body)}`).toBe(true)
  expect(logger.errors).toEqual([])
  // Every temp file is gone once the response is out, whether the upload was read, refused or broken.
  expect(await readdir(uploads)).toEqual([])
  if (answer.status !== 200) return
  const seen = answer.body
  if (seen.type !== 'form') return
  const entries = (seen.fields as Array<[string, string[]]>).flatMap(([, values]) => values)
  expect(entries.length).toBeLessThanOrEqual(limits.fields)
  for (const value of entries) expect(Buffer.byteLength(value)).toBeLessThanOrEqual(limits.fieldSize)
  expect(seen.files.length).toBeLessThanOrEqual(limits.files)
  for (const file of seen.files) expect(file.size).toBeLessThanOrEqual(limits.fileSize)
}

const encoder = new TextEncoder()
const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/vnd.api+json',
    'application/x-www-form-urlencoded',
    `multipart/form-data; boundary=${boundary}`,
    'multipart/form-data',
    'multipart/form-data; boundary=',
    'text/plain',
    'application/json; charset=latin1',
    undefined,
  ),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((n) => String.fromCharCode(n)), maxLength: 60 }),
)
const storage = fc.constantFrom('disk' as const, 'memory' as const)
const route = fc.constantFrom('any' as const, 'json' as const, 'form' as const)
const cuts = fc.array(fc.nat(), { maxLength: 12 })
const declaredLength = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('exact' as const, 'none' as const) }, { weight: 1, arbitrary: fc.nat({ max: 10_000 }) })
/** Bytes shaped like the body types: mostly the characters their grammars are made of. */
const grammarBytes = fc
  .array(fc.oneof(fc.constantFrom(...'{}[]":,0-9.eE+ntrufals\\u&=%+\r\n-;'.split('').map((c) => c.charCodeAt(0))), fc.integer({ min: 0, max: 255 })), { maxLength: 3000 })
  .map((a) => Uint8Array.from(a))
/** JSON nested as deep as the body limit allows, closed or not: the poisoned-key walk and JSON.parse must survive it. */
const deepJson = fc
  .tuple(fc.constantFrom('[', '{"a":', '{"__proto__":'), fc.nat({ max: 2100 }), fc.boolean())
  .map(([open, depth, closed]) => {
    const n = Math.floor(depth / open.length)
    return encoder.encode(open.repeat(n) + (closed ? '1' + (open === '[' ? ']' : '}').repeat(n) : ''))
  })
const anyBytes = fc.oneof(fc.uint8Array({ maxLength: 3000 }), grammarBytes, fc.uint8Array({ maxLength: 6000 }), deepJson)

const name = fc.string({ unit: fc.constantFrom(...'abcxyz_-[]0.'.split('')), minLength: 1, maxLength: 12 })
const text = fc.string({ unit: 'grapheme', maxLength: 300 })
/** A part's value or file content without the boundary in it (the multipart grammar's one rule for content). */
const partText = text.map((t) => t.replaceAll(boundary, ''))
const parts = fc.array(
  fc.oneof(
    fc.record({ name, value: partText }),
    // A file name needs a letter: busboy takes '.' and '..' for no name at all, and an upload without a name is no upload.
    fc.record({ name, filename: fc.string({ unit: fc.constantFrom(...'abc.-_ '.split('')), minLength: 1, maxLength: 12 }).filter((f) => /[a-z]/.test(f)), content: partText }),
  ),
  { maxLength: 8 },
) as fc.Arbitrary<Part[]>
const pairs = fc.array(fc.tuple(name, text), { maxLength: 9 })

type Valid = { contentType: string; bytes: Uint8Array; model: { kind: 'json'; value: unknown } | { kind: 'form'; pairs: Array<[string, string]>; files: Part[] } }
const validBody: fc.Arbitrary<Valid> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((value) => ({ contentType: 'application/json', bytes: encoder.encode(JSON.stringify(value)), model: { kind: 'json' as const, value: JSON.parse(JSON.stringify(value)) } })),
  pairs.map((list) => ({
    contentType: 'application/x-www-form-urlencoded',
    bytes: encoder.encode(new URLSearchParams(list).toString()),
    model: { kind: 'form' as const, pairs: list, files: [] },
  })),
  parts.map((list) => ({
    contentType: `multipart/form-data; boundary=${boundary}`,
    bytes: multipart(list, boundary),
    model: { kind: 'form' as const, pairs: list.filter((p): p is Extract<Part, { value: string }> => 'value' in p).map((p): [string, string] => [p.name, p.value]), files: list.filter((p) => !('value' in p)) },
  })),
)

describe('the body middleware (middleware/body), fuzzed', () => {
  it('answers arbitrary bytes under any Content-Type, cut into any chunks, with 200 or a 4xx, within its limits', async () => {
    await fc.assert(
      fc.asyncProperty(route, storage, contentTypes, anyBytes, cuts, declaredLength, async (route, storage, contentType, bytes, cuts, length) => {
        await expectSafe(await send({ route, storage, contentType, bytes, cuts, length }))
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('answers valid bodies with a few bytes changed with 200 or a 4xx, within its limits', async () => {
    await fc.assert(
      fc.asyncProperty(route, storage, validBody, edits(fc.integer({ min: 0, max: 255 }), 3), cuts, async (route, storage, valid, list, cuts) => {
        const bytes = mutateBytes(valid.bytes, list)
        await expectSafe(await send({ route, storage, contentType: valid.contentType, bytes, cuts, length: 'exact' }))
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('reads a valid body back exactly, or refuses it with 413 exactly when it crosses a limit (400 for a __proto__ key)', async () => {
    await fc.assert(
      fc.asyncProperty(storage, validBody, cuts, fc.constantFrom('exact' as const, 'none' as const), async (storage, valid, cuts, length) => {
        const answer = await send({ route: 'any', storage, contentType: valid.contentType, bytes: valid.bytes, cuts, length })
        await expectSafe(answer)
        const { model } = valid
        if (model.kind === 'json') {
          if (valid.bytes.byteLength > limits.body) return void expect(answer.status).toBe(413)
          if (hasPoisonedKey(model.value)) return void expect(answer.status).toBe(400)
          expect(answer).toEqual({ status: 200, body: { type: 'json', value: model.value } })
          return
        }
        const isMultipart = valid.contentType.startsWith('multipart/')
        const overLimit =
          valid.bytes.byteLength > (isMultipart ? limits.multipart : limits.body) ||
          model.pairs.length > limits.fields ||
          model.pairs.some(([, value]) => Buffer.byteLength(value) > limits.fieldSize) ||
          (isMultipart && (model.files.length > limits.files || model.files.some((f) => Buffer.byteLength((f as { content: string }).content) > limits.fileSize)))
        if (overLimit) return void expect(answer.status).toBe(413)
        expect(answer.status).toBe(200)
        expect(answer.body.fields).toEqual(grouped(model.pairs))
        expect(answer.body.files.map((f: { field: string; bytes: string }) => [f.field, Buffer.from(f.bytes, 'base64').toString()])).toEqual(
          model.files.map((f) => [f.name, (f as { content: string }).content]),
        )
      }),
      fuzzParameters(),
    )
  }, fuzzTimeout())

  it('refuses an oversized body having been sent at most its limit and two chunks more, so memory stays bounded', async () => {
    // The client hands out its body one chunk per turn of the event loop and stops for good once it has sent
    // the limit and two chunks more: the middleware must refuse with what it has, which is all it can hold.
    const oversized = fc.record({
      kind: fc.constantFrom('json', 'urlencoded', 'multipart-field', 'multipart-file'),
      chunk: fc.integer({ min: 1, max: 1024 }),
      storage,
    })
    await fc.assert(
      fc.asyncProperty(oversized, async ({ kind, chunk, storage }) => {
        const isMultipart = kind.startsWith('multipart')
        const head =
          kind === 'json' ? '["' : kind === 'urlencoded' ? 'a=' : `--${boundary}\r\nContent-Disposition: form-data; name="a"${kind === 'multipart-file' ? '; filename="a.bin"' : ''}\r\n\r\n`
        const cap = (isMultipart ? limits.multipart : limits.body) + head.length + 2 * chunk
        let handedOut = 0
        const stream = new ReadableStream<Uint8Array>(
          {
            async pull(controller) {
              await new Promise((resolve) => setImmediate(resolve))
              if (handedOut >= cap) return new Promise<void>(() => {}) // a client that sends nothing more, and never ends
              const bytes = handedOut === 0 ? Buffer.concat([Buffer.from(head), Buffer.alloc(chunk, 0x61)]) : Buffer.alloc(chunk, 0x61)
              handedOut += bytes.byteLength
              controller.enqueue(new Uint8Array(bytes))
            },
          },
          { highWaterMark: 0 },
        )
        const contentType = kind === 'json' ? 'application/json' : kind === 'urlencoded' ? 'application/x-www-form-urlencoded' : `multipart/form-data; boundary=${boundary}`
        const answer = await within(apps[storage].fetch(new Request('http://localhost/any', { method: 'POST', headers: { 'content-type': contentType }, body: stream, duplex: 'half' } as RequestInit)))
        expect(answer.status).toBe(413)
        expect(await readdir(uploads)).toEqual([])
      }),
      // Each case waits a turn of the event loop per chunk (up to thousands): 2000 cases already cover every kind and chunk size many times.
      { ...fuzzParameters(), numRuns: Math.min(fuzzParameters().numRuns ?? 200, 2000) },
    )
  }, fuzzTimeout())
})

/** Name to every value, in the order the handler reports a form's fields (`Object.keys` of `form.fields`). */
function grouped(list: ReadonlyArray<[string, string]>): Array<[string, string[]]> {
  const byName: Record<string, string[]> = Object.create(null)
  for (const [name, value] of list) byName[name] = [...(byName[name] ?? []), value]
  return Object.keys(byName).map((name) => [name, byName[name]!])
}

function hasPoisonedKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  if (!Array.isArray(value)) {
    if (Object.hasOwn(value, '__proto__')) return true
    const ctor = Object.hasOwn(value, 'constructor') ? (value as { constructor: unknown }).constructor : undefined
    if (typeof ctor === 'object' && ctor !== null && Object.hasOwn(ctor, 'prototype')) return true
  }
  return Object.values(value).some(hasPoisonedKey)
}
