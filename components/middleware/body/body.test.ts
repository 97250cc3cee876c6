import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type App, createApp, type Context, defineConfig, DovetailError, type Routes } from 'dovetailjs'
import body, { type BodyOptions, hasBodyParser, readBody, readForm, readJson } from 'dovetailjs/components/middleware/body'
import { pushBody } from '../../../test/support/raw-http.js'
import { multipart, postStream, streamed } from './test-helpers.js'

let uploads: string
let app: App | undefined
beforeEach(async () => {
  uploads = await mkdtemp(join(tmpdir(), 'dovetail-body-'))
})
afterEach(async () => {
  await app?.close()
  app = undefined
  await rm(uploads, { recursive: true, force: true })
})

/** What a handler saw, for tests that must prove the handler did (or did not) get past reading. */
let reached: string[] = []
beforeEach(() => {
  reached = []
})

async function describeForm(ctx: Context) {
  const form = await readForm(ctx)
  reached.push('parsed')
  return {
    fields: { ...form.fields },
    tags: form.getAll('tag'),
    files: await Promise.all(
      form.files.map(async (f) => ({
        field: f.field,
        filename: f.filename,
        type: f.type,
        size: f.size,
        text: await f.text(),
        onDisk: f.path !== undefined && (await stat(f.path)).isFile(),
        inUploads: f.path?.startsWith(uploads) ?? false,
      })),
    ),
  }
}

const defaultRoutes = (r: Routes) => {
  r.post('/json', async (ctx) => {
    const value = await readJson(ctx)
    reached.push('parsed')
    return ctx.json({ value })
  })
  r.post('/form', async (ctx) => ctx.json(await describeForm(ctx)))
  r.route(['GET', 'POST'], '/any', async (ctx) => {
    const parsed = await readBody(ctx)
    reached.push('parsed')
    return ctx.json(parsed.type === 'json' ? parsed : parsed.type === 'form' ? { type: 'form', fields: { ...parsed.form.fields } } : parsed)
  })
  r.post('/ignore', (ctx) => {
    reached.push('handler')
    return ctx.text('not read')
  })
}

async function start(options: BodyOptions = {}, routes: (r: Routes) => void = defaultRoutes) {
  app = await createApp(
    defineConfig({
      environment: 'test',
      components: { middleware: [body({ ...options, uploads: { dir: uploads, ...options.uploads } })] },
      routes,
    }),
  )
  return app
}

const url = (path: string) => `http://localhost${path}`
const post = (path: string, init: { body: BodyInit; type?: string; headers?: Record<string, string> }) =>
  new Request(url(path), { method: 'POST', body: init.body, headers: { ...(init.type ? { 'content-type': init.type } : {}), ...init.headers } })
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error
const leftInUploads = () => readdir(uploads)

describe('body: JSON', () => {
  it('parses a JSON body', async () => {
    const a = await start()
    const res = await a.fetch(post('/json', { body: '{"name":"Ada","tags":["x"]}', type: 'application/json' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ value: { name: 'Ada', tags: ['x'] } })
  })

  it('accepts +json types, charset utf-8 and a BOM', async () => {
    const a = await start()
    for (const type of ['application/vnd.api+json', 'application/json; charset=UTF-8', 'application/json;charset="utf-8"']) {
      const res = await a.fetch(post('/json', { body: '\uFEFF{"a":1}', type }))
      expect(res.status, type).toBe(200)
      expect(await res.json()).toEqual({ value: { a: 1 } })
    }
  })

  it.each([
    ['bad JSON', '{"a":', 'not valid JSON'],
    ['an empty body', '', 'empty'],
    ['trailing garbage', '{"a":1} x', 'not valid JSON'],
  ])('answers 400 to %s', async (_, text, message) => {
    const a = await start()
    const res = await a.fetch(post('/json', { body: text, type: 'application/json' }))
    expect(res.status).toBe(400)
    const error = await errorOf(res)
    expect(error.code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
    expect(error.message).toContain(message)
    expect(reached).toEqual([])
  })

  it('answers 400 to invalid UTF-8 and 415 to another charset', async () => {
    const a = await start()
    const bad = await a.fetch(post('/json', { body: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), type: 'application/json' }))
    expect(bad.status).toBe(400)
    const latin = await a.fetch(post('/json', { body: '{"a":1}', type: 'application/json; charset=iso-8859-1' }))
    expect(latin.status).toBe(415)
    expect((await errorOf(latin)).code).toBe('DOVETAIL_ERR_BODY_UNSUPPORTED_TYPE')
  })

  it('answers 400 to nesting deeper than the stack, not 500', async () => {
    const a = await start({ limits: { body: 4 * 1024 * 1024 } }, (r) =>
      r.post('/deep', async (ctx) => {
        await readJson(ctx)
        return ctx.text('parsed')
      }),
    )
    // The __proto__ makes the poisoned-key walk run over the whole depth too.
    const deep = `${'{"a":'.repeat(200_000)}{"__proto__x":1}${'}'.repeat(200_000)}`
    const res = await a.fetch(post('/deep', { body: deep, type: 'application/json' }))
    expect([200, 400]).toContain(res.status)
  })

  it('answers 415 to a route that reads JSON when the body is something else, or missing', async () => {
    const a = await start()
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x']) {
      const res = await a.fetch(post('/json', { body: 'a=1', type }))
      expect(res.status, type).toBe(415)
      const error = await errorOf(res)
      expect(error.code).toBe('DOVETAIL_ERR_BODY_UNSUPPORTED_TYPE')
      expect(error.message).toContain('application/json')
    }
    const none = await a.fetch(new Request(url('/json'), { method: 'POST' }))
    expect(none.status).toBe(415)
    expect(reached).toEqual([])
  })
})

describe('body: size limits', () => {
  const big = JSON.stringify({ text: 'x'.repeat(200) }) // 213 bytes

  it('answers 413 from Content-Length before reading a byte', async () => {
    const a = await start({ limits: { body: 100 } })
    const { stream, pulled } = streamed(new TextEncoder().encode(big), 16)
    const res = await a.fetch(postStream(url('/json'), stream, { 'content-type': 'application/json', 'content-length': String(big.length) }))
    expect(res.status).toBe(413)
    const error = await errorOf(res)
    expect(error.code).toBe('DOVETAIL_ERR_BODY_TOO_LARGE')
    expect(error.message).toContain('limits.body')
    expect(pulled()).toBe(0)
    expect(reached).toEqual([])
  })

  it('answers 413 while streaming a body without Content-Length', async () => {
    const a = await start({ limits: { body: 100 } })
    const payload = new TextEncoder().encode(JSON.stringify({ text: 'x'.repeat(100_000) }))
    const { stream } = streamed(payload, 64)
    const res = await a.fetch(postStream(url('/json'), stream, { 'content-type': 'application/json' }))
    expect(res.status).toBe(413)
    expect(reached).toEqual([])
  })

  it('answers 413 when Content-Length lies low', async () => {
    const a = await start({ limits: { body: 100 } })
    const { stream } = streamed(new TextEncoder().encode(big), 32)
    const res = await a.fetch(postStream(url('/json'), stream, { 'content-type': 'application/json', 'content-length': '10' }))
    expect(res.status).toBe(413)
    expect(reached).toEqual([])
  })

  it('accepts a body of exactly the limit', async () => {
    const a = await start({ limits: { body: big.length } })
    const res = await a.fetch(post('/json', { body: big, type: 'application/json' }))
    expect(res.status).toBe(200)
  })

  it('delivers the 413 to a real client over node:http, for a declared and for a chunked body', async () => {
    const a = await start({ limits: { body: 1024 } })
    const server = await a.listen({ port: 0 })
    const total = 512 * 1024
    const send = (chunked: boolean) =>
      pushBody(`${server.url}/json`, total, { 'content-type': 'application/json', ...(chunked ? {} : { 'content-length': String(total) }) }, 0x20)
    for (const chunked of [false, true]) {
      // Twice each, so the second request also shows the keep-alive connection survived.
      for (const round of [1, 2]) {
        const res = await send(chunked)
        expect(res.status, `${chunked ? 'chunked' : 'declared'} #${round}`).toBe(413)
        expect(res.body).toContain('DOVETAIL_ERR_BODY_TOO_LARGE')
      }
    }
  })
})

describe('body: prototype poisoning', () => {
  /** The kind of deep merge that turns a `__proto__` key into a polluted Object.prototype. */
  function naiveMerge(target: Record<string, any>, source: Record<string, any>): Record<string, any> {
    for (const key of Object.keys(source)) {
      if (typeof source[key] === 'object' && source[key] !== null) {
        target[key] ??= {}
        naiveMerge(target[key], source[key])
      } else target[key] = source[key]
    }
    return target
  }
  const poisoned = [
    '{"a":1,"__proto__":{"polluted":"yes"}}',
    '{"a":1,"nested":[{"__proto__":{"polluted":"yes"}}]}',
    '{"a":1,"\\u005f\\u005fproto\\u005f\\u005f":{"polluted":"yes"}}',
    '{"a":1,"constructor":{"prototype":{"polluted":"yes"}}}',
  ]

  afterEach(() => {
    delete (Object.prototype as Record<string, unknown>).polluted
  })

  it('is a real danger: the naive merge pollutes Object.prototype with plain JSON.parse', () => {
    naiveMerge({}, JSON.parse(poisoned[0]!))
    expect(({} as Record<string, unknown>).polluted).toBe('yes')
  })

  it.each(poisoned)('rejects %s with 400 by default', async (text) => {
    const a = await start()
    const res = await a.fetch(post('/json', { body: text, type: 'application/json' }))
    expect(res.status).toBe(400)
    expect((await errorOf(res)).code).toBe('DOVETAIL_ERR_BODY_FORBIDDEN_KEY')
    expect(reached).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it.each(poisoned)('strips the key from %s with protoKeys: strip, and merging the result pollutes nothing', async (text) => {
    const a = await start({ protoKeys: 'strip' }, (r) =>
      r.post('/merge', async (ctx) => {
        const value = await readJson<Record<string, any>>(ctx)
        const merged = naiveMerge({}, value)
        const nested = Array.isArray(value.nested) ? value.nested[0] : value
        return ctx.json({
          merged,
          ownProto: Object.hasOwn(value, '__proto__') || Object.hasOwn(nested, '__proto__'),
          protoIsObject: Object.getPrototypeOf(value) === Object.prototype && Object.getPrototypeOf(nested) === Object.prototype,
          polluted: ({} as Record<string, unknown>).polluted ?? null,
        })
      }),
    )
    const res = await a.fetch(post('/merge', { body: text, type: 'application/json' }))
    expect(res.status).toBe(200)
    const out = await res.json()
    expect(out.merged.a).toBe(1)
    expect(out.ownProto).toBe(false)
    expect(out.protoIsObject).toBe(true)
    expect(out.polluted).toBeNull()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('leaves innocent keys alone', async () => {
    const a = await start()
    const text = '{"constructor":"Ada","proto":1,"prototype":{"x":1},"note":"__proto__ in a value is fine"}'
    const res = await a.fetch(post('/json', { body: text, type: 'application/json' }))
    expect(res.status).toBe(200)
    expect((await res.json()).value).toEqual(JSON.parse(text))
  })
})

describe('body: urlencoded forms', () => {
  it('parses fields, repeated fields and odd names into a prototype-free object', async () => {
    const a = await start()
    const res = await a.fetch(post('/form', { body: 'title=Hello+world&tag=a&tag=b&__proto__=x&constructor=y&emoji=%F0%9F%98%80', type: 'application/x-www-form-urlencoded' }))
    expect(res.status).toBe(200)
    const out = await res.json()
    expect(out.fields).toEqual(JSON.parse('{"title":"Hello world","tag":"a","__proto__":"x","constructor":"y","emoji":"😀"}'))
    expect(out.tags).toEqual(['a', 'b'])
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('enforces limits.fields, limits.fieldSize and limits.body with 413s', async () => {
    const a = await start({ limits: { fields: 3, fieldSize: 10, body: 200 } })
    const cases: Array<[string, string]> = [
      ['a=1&b=2&c=3&d=4', 'DOVETAIL_ERR_BODY_TOO_MANY_FIELDS'],
      ['a=12345678901', 'DOVETAIL_ERR_BODY_FIELD_TOO_LARGE'],
      [`a=${'x'.repeat(300)}`, 'DOVETAIL_ERR_BODY_TOO_LARGE'],
    ]
    for (const [text, code] of cases) {
      const res = await a.fetch(post('/form', { body: text, type: 'application/x-www-form-urlencoded' }))
      expect(res.status, code).toBe(413)
      expect((await errorOf(res)).code).toBe(code)
    }
    expect(reached).toEqual([])
    const ok = await a.fetch(post('/form', { body: 'a=1&b=2&c=1234567890', type: 'application/x-www-form-urlencoded' }))
    expect(ok.status).toBe(200)
  })

  it('answers 400 to invalid UTF-8', async () => {
    const a = await start()
    const res = await a.fetch(post('/form', { body: new Uint8Array([0x61, 0x3d, 0xff]), type: 'application/x-www-form-urlencoded' }))
    expect(res.status).toBe(400)
  })
})

describe('body: multipart forms', () => {
  const type = 'multipart/form-data; boundary=dovetail-boundary'

  it('streams files to temp files in uploads.dir, and removes them once the response is ready', async () => {
    const a = await start()
    const form = new FormData()
    form.append('title', 'Report')
    form.append('tag', 'a')
    form.append('tag', 'b')
    form.append('doc', new File(['hello file'], 'report.txt', { type: 'text/plain' }))
    form.append('doc', new File([new Uint8Array(70_000).fill(65)], 'big.bin', { type: 'application/octet-stream' }))
    const res = await a.fetch(new Request(url('/form'), { method: 'POST', body: form }))
    expect(res.status).toBe(200)
    const out = await res.json()
    expect(out.fields).toEqual({ title: 'Report', tag: 'a' })
    expect(out.tags).toEqual(['a', 'b'])
    expect(out.files).toHaveLength(2)
    expect(out.files[0]).toMatchObject({ field: 'doc', filename: 'report.txt', type: 'text/plain', size: 10, text: 'hello file', onDisk: true, inUploads: true })
    expect(out.files[1]).toMatchObject({ filename: 'big.bin', size: 70_000, onDisk: true })
    expect(await leftInUploads()).toEqual([])
  })

  it('lists files in the order they came, even when a later one finishes writing first', async () => {
    const a = await start()
    const form = new FormData()
    form.append('doc', new File([new Uint8Array(2 * 1024 * 1024).fill(68)], 'first-big.bin'))
    form.append('doc', new File(['tiny'], 'second-small.txt'))
    form.append('doc', new File(['tiny too'], 'third-small.txt'))
    const res = await a.fetch(new Request(url('/form'), { method: 'POST', body: form }))
    const out = await res.json()
    expect(out.files.map((f: { filename: string; size: number }) => [f.filename, f.size])).toEqual([
      ['first-big.bin', 2 * 1024 * 1024],
      ['second-small.txt', 4],
      ['third-small.txt', 8],
    ])
    expect(await leftInUploads()).toEqual([])
  })

  it('keeps a file the handler moves away', async () => {
    const keep = join(uploads, 'kept')
    const a = await start({}, (r) =>
      r.post('/keep', async (ctx) => {
        const form = await readForm(ctx)
        await form.file('doc')!.moveTo(`${keep}.txt`)
        return ctx.text('kept')
      }),
    )
    const res = await a.fetch(post('/keep', { body: multipart([{ name: 'doc', filename: 'a.txt', content: 'keep me' }, { name: 'other', filename: 'b.txt', content: 'drop me' }]), type }))
    expect(res.status).toBe(200)
    expect(await leftInUploads()).toEqual(['kept.txt'])
    expect(await readFile(`${keep}.txt`, 'utf8')).toBe('keep me')
  })

  it('keeps files in memory with uploads.storage: memory, writing nothing', async () => {
    const a = await start({ uploads: { storage: 'memory' } })
    const res = await a.fetch(post('/form', { body: multipart([{ name: 'doc', filename: 'a.txt', type: 'text/plain', content: 'in memory' }]), type }))
    const out = await res.json()
    expect(out.files[0]).toMatchObject({ filename: 'a.txt', size: 9, text: 'in memory', onDisk: false })
    expect(await leftInUploads()).toEqual([])
  })

  it('skips an empty file input and strips folders from file names', async () => {
    const a = await start()
    const res = await a.fetch(post('/form', { body: multipart([{ name: 'doc', filename: '', content: '' }, { name: 'doc2', filename: '../../etc/passwd', content: 'x' }]), type }))
    const out = await res.json()
    expect(out.files.map((f: { filename: string }) => f.filename)).toEqual(['passwd'])
  })

  describe('limits: 413 and nothing left on disk', () => {
    const bigFile = new Uint8Array(300 * 1024).fill(66)

    it.each([
      ['limits.fileSize', { fileSize: 100 * 1024 }, [{ name: 'doc', filename: 'big.bin', content: bigFile }], 'DOVETAIL_ERR_BODY_FILE_TOO_LARGE'],
      [
        'limits.files',
        { files: 2 },
        [1, 2, 3].map((i) => ({ name: 'doc', filename: `f${i}.txt`, content: `file ${i}` })),
        'DOVETAIL_ERR_BODY_TOO_MANY_FILES',
      ],
      ['limits.fields', { fields: 2 }, [{ name: 'a', value: '1' }, { name: 'doc', filename: 'f.txt', content: 'file' }, { name: 'b', value: '2' }, { name: 'c', value: '3' }], 'DOVETAIL_ERR_BODY_TOO_MANY_FIELDS'],
      ['limits.fieldSize', { fieldSize: 10 }, [{ name: 'doc', filename: 'f.txt', content: 'file' }, { name: 'a', value: 'x'.repeat(11) }], 'DOVETAIL_ERR_BODY_FIELD_TOO_LARGE'],
    ] as const)('%s', async (option, limits, parts, code) => {
      const a = await start({ limits })
      const { stream } = streamed(multipart(parts), 8 * 1024)
      const res = await a.fetch(postStream(url('/form'), stream, { 'content-type': type }))
      expect(res.status).toBe(413)
      const error = await errorOf(res)
      expect(error.code).toBe(code)
      expect(error.message).toContain(option)
      expect(reached).toEqual([])
      expect(await leftInUploads()).toEqual([])
    })

    it('limits.fileSize with memory storage', async () => {
      const a = await start({ limits: { fileSize: 1000 }, uploads: { storage: 'memory' } })
      const res = await a.fetch(post('/form', { body: multipart([{ name: 'doc', filename: 'big.bin', content: bigFile }]), type }))
      expect(res.status).toBe(413)
      expect((await errorOf(res)).code).toBe('DOVETAIL_ERR_BODY_FILE_TOO_LARGE')
    })

    it('limits.multipart from Content-Length: refused before a byte is read', async () => {
      const a = await start({ limits: { multipart: 64 * 1024 } })
      const bytes = multipart([{ name: 'doc', filename: 'big.bin', content: bigFile }])
      const { stream, pulled } = streamed(bytes)
      const res = await a.fetch(postStream(url('/form'), stream, { 'content-type': type, 'content-length': String(bytes.byteLength) }))
      expect(res.status).toBe(413)
      expect((await errorOf(res)).message).toContain('limits.multipart')
      expect(pulled()).toBe(0)
      expect(await leftInUploads()).toEqual([])
    })

    it.each([
      ['without Content-Length', {}],
      ['with a Content-Length that lies', { 'content-length': '100' }],
    ])('limits.multipart while streaming %s: the half-written file is deleted', async (_, headers) => {
      const a = await start({ limits: { multipart: 64 * 1024 } })
      const bytes = multipart([{ name: 'doc', filename: 'big.bin', content: bigFile }])
      const { stream } = streamed(bytes, 8 * 1024)
      const res = await a.fetch(postStream(url('/form'), stream, { 'content-type': type, ...headers }))
      expect(res.status).toBe(413)
      expect((await errorOf(res)).code).toBe('DOVETAIL_ERR_BODY_TOO_LARGE')
      expect(await leftInUploads()).toEqual([])
    })
  })

  describe('broken bodies: 400 and nothing left on disk', () => {
    it('a Content-Type without a boundary', async () => {
      const a = await start()
      const res = await a.fetch(post('/form', { body: multipart([{ name: 'a', value: '1' }]), type: 'multipart/form-data' }))
      expect(res.status).toBe(400)
      expect((await errorOf(res)).code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
    })

    it('a body cut off in the middle of a file', async () => {
      const a = await start()
      const bytes = multipart([{ name: 'doc', filename: 'a.bin', content: new Uint8Array(100_000).fill(67) }], 'dovetail-boundary', false)
      const { stream } = streamed(bytes.slice(0, 60_000), 8 * 1024)
      const res = await a.fetch(postStream(url('/form'), stream, { 'content-type': type }))
      expect(res.status).toBe(400)
      const error = await errorOf(res)
      expect(error.code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
      expect(error.message).toContain('multipart')
      expect(reached).toEqual([])
      expect(await leftInUploads()).toEqual([])
    })

    it.each([
      ['garbage', 'this is not multipart at all'],
      ['a part without headers end', '--dovetail-boundary\r\nContent-Disposition: form-data; name="a"'],
      ['an unterminated form', '--dovetail-boundary\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue'],
    ])('%s', async (_, text) => {
      const a = await start()
      const res = await a.fetch(post('/form', { body: text, type }))
      expect(res.status).toBe(400)
      expect((await errorOf(res)).code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
      expect(await leftInUploads()).toEqual([])
    })

    // Raw bodies: after a file already on disk, a part whose Content-Disposition has no name.
    const fileFirst = `--dovetail-boundary\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n${'x'.repeat(20_000)}\r\n`
    it.each([
      ['a field without a name', 'Content-Disposition: form-data\r\n\r\nvalue'],
      ['a field with an empty name', 'Content-Disposition: form-data; name=""\r\n\r\nvalue'],
      ['a file without a name', 'Content-Disposition: form-data; filename="b.txt"\r\nContent-Type: text/plain\r\n\r\nfile'],
    ])('%s', async (_, part) => {
      const a = await start()
      const res = await a.fetch(post('/form', { body: `${fileFirst}--dovetail-boundary\r\n${part}\r\n--dovetail-boundary--\r\n`, type }))
      expect(res.status).toBe(400)
      const error = await errorOf(res)
      expect(error.code).toBe('DOVETAIL_ERR_BODY_MALFORMED')
      expect(error.message).toContain('no name')
      expect(reached).toEqual([])
      expect(await leftInUploads()).toEqual([])
    })
  })
})

describe('body: readBody, eager mode and misuse', () => {
  it('tells the kind of body, and none for a GET or an empty POST', async () => {
    const a = await start()
    expect(await (await a.fetch(new Request(url('/any')))).json()).toEqual({ type: 'none' })
    expect(await (await a.fetch(new Request(url('/any'), { method: 'POST' }))).json()).toEqual({ type: 'none' })
    expect(await (await a.fetch(post('/any', { body: '{"a":1}', type: 'application/json' }))).json()).toEqual({ type: 'json', value: { a: 1 } })
    expect(await (await a.fetch(post('/any', { body: 'a=1', type: 'application/x-www-form-urlencoded' }))).json()).toEqual({ type: 'form', fields: { a: '1' } })
    const text = await a.fetch(post('/any', { body: 'hello', type: 'text/plain' }))
    expect(text.status).toBe(415)
    expect((await errorOf(text)).message).toMatch(/'text\/plain'.*application\/json or application\/x-www-form-urlencoded or multipart\/form-data/)
    const untyped = await a.fetch(postStream(url('/any'), streamed(new TextEncoder().encode('x')).stream, {}))
    expect(untyped.status).toBe(415)
  })

  it('reads only the types option lists', async () => {
    const a = await start({ types: ['json'] })
    const form = await a.fetch(post('/any', { body: multipart([{ name: 'doc', filename: 'a.txt', content: 'x' }]), type: 'multipart/form-data; boundary=dovetail-boundary' }))
    expect(form.status).toBe(415)
    expect(await leftInUploads()).toEqual([])
    const readForm = await a.fetch(post('/form', { body: 'a=1', type: 'application/x-www-form-urlencoded' }))
    expect(readForm.status).toBe(415)
  })

  it('parses once: readBody, readJson and readForm share the result', async () => {
    const a = await start({}, (r) =>
      r.post('/twice', async (ctx) => {
        const first = await readBody(ctx)
        const second = await readBody(ctx)
        const form = await readForm(ctx)
        return ctx.json({ same: first === second && first.type === 'form' && first.form === form })
      }),
    )
    expect(await (await a.fetch(post('/twice', { body: 'a=1', type: 'application/x-www-form-urlencoded' }))).json()).toEqual({ same: true })
  })

  it('eager: parses before the handler, so limits stop the request before it runs', async () => {
    const a = await start({ eager: true, limits: { body: 10 } })
    const res = await a.fetch(post('/ignore', { body: '{"a":"0123456789"}', type: 'application/json' }))
    expect(res.status).toBe(413)
    expect(reached).toEqual([])
    const plain = await a.fetch(post('/ignore', { body: 'raw text', type: 'text/plain' }))
    expect(plain.status).toBe(200)
    expect(reached).toEqual(['handler'])
  })

  it('lazy (default): a handler that never reads the body is not troubled by it', async () => {
    const a = await start({ limits: { body: 10 } })
    const res = await a.fetch(post('/ignore', { body: '{"a":"0123456789"}', type: 'application/json' }))
    expect(res.status).toBe(200)
  })

  it('reports a body read behind its back, and a missing middleware, with their codes', async () => {
    const handler = async (ctx: Context) => {
      try {
        await readBody(ctx)
        return ctx.text('read')
      } catch (error) {
        return ctx.text(error instanceof DovetailError ? error.code : String(error))
      }
    }
    const a = await start({}, (r) =>
      r.post('/sneaky', async (ctx) => {
        await ctx.request.text()
        return handler(ctx)
      }),
    )
    expect(await (await a.fetch(post('/sneaky', { body: '{}', type: 'application/json' }))).text()).toBe('DOVETAIL_ERR_BODY_ALREADY_READ')
    const bare = await createApp(defineConfig({ environment: 'test', routes: (r) => r.post('/x', handler) }))
    expect(await (await bare.fetch(post('/x', { body: '{}', type: 'application/json' }))).text()).toBe('DOVETAIL_ERR_BODY_NO_MIDDLEWARE')
    await bare.close()
  })

  it('loads by its built-in name and refuses bad options at startup, naming them', async () => {
    app = await createApp(defineConfig({ environment: 'test', components: { middleware: ['body'] }, routes: defaultRoutes }))
    expect((await app.fetch(post('/json', { body: '{"a":1}', type: 'application/json' }))).status).toBe(200)
    await expect(createApp(defineConfig({ components: { middleware: [body({ limits: { fileSize: -1 } })] } }))).rejects.toThrow(/middleware\/body.*\n.*limits\.fileSize/)
    await expect(createApp(defineConfig({ components: { middleware: [body({ types: ['xml'] } as never)] } }))).rejects.toThrow(/option 'types/)
    await writeFile(join(uploads, 'a-file'), 'not a folder')
    await expect(createApp(defineConfig({ components: { middleware: [body({ uploads: { dir: join(uploads, 'a-file', 'uploads') } })] } }))).rejects.toThrow(/option 'uploads\.dir'.*cannot be created/)
  })
})

describe('body: hasBodyParser', () => {
  it('is true in a request the body middleware handles, false in an app without it', async () => {
    const check = (r: Routes) => r.post('/has', (ctx) => ctx.json({ has: hasBodyParser(ctx) }))
    const withBody = await start({}, check)
    expect(await (await withBody.fetch(new Request(url('/has'), { method: 'POST', body: 'a=1' }))).json()).toEqual({ has: true })
    const without = await createApp(defineConfig({ routes: check }))
    expect(await (await without.fetch(new Request(url('/has'), { method: 'POST', body: 'a=1' }))).json()).toEqual({ has: false })
    await without.close()
  })
})
