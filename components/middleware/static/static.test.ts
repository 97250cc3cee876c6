import { connect } from 'node:net'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, defineConfig, DovetailError } from 'dovetailjs'
import compression from 'dovetailjs/components/middleware/compression'
import radix from 'dovetailjs/components/router/radix'
import serveStatic, { parseRange, resolveRequestPath, type StaticOptions } from 'dovetailjs/components/middleware/static'
import { createTestClient, type TestClient } from 'dovetailjs/testing'
import { appJs, createSite, mtime, secret } from './fixture.js'

let site: Awaited<ReturnType<typeof createSite>>
beforeAll(async () => {
  site = await createSite()
})
afterAll(() => site.cleanup())

const apps: App[] = []
afterAll(() => Promise.all(apps.map((a) => a.close())))

async function clientFor(options: Partial<StaticOptions> = {}, extra: { compress?: boolean } = {}): Promise<TestClient> {
  const app = await createApp(
    defineConfig({
      environment: 'test',
      components: { middleware: [...(extra.compress ? [compression()] : []), serveStatic({ root: site.root, prefix: '/static', ...options })] },
      routes(r) {
        r.get('/', (ctx) => ctx.text('home route'))
        r.get('/static/dynamic', (ctx) => ctx.text('a route under the prefix'))
        r.get('/.well-known/thing', (ctx) => ctx.text('well known'))
      },
    }),
  )
  apps.push(app)
  return createTestClient(app)
}

/** A request written byte for byte on a socket, so paths reach the server un-normalized (as an attacker would send them). */
async function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`))
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (data += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve({ status: Number(data.slice(9, 12)), body: data.slice(data.indexOf('\r\n\r\n') + 4) }))
  })
}

describe('static: serving files', () => {
  it('serves a file with type, length, ETag, Last-Modified, Cache-Control and Accept-Ranges', async () => {
    const client = await clientFor()
    const res = await client.get('/static/hello.txt')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('Hello, static!\n')
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(res.headers.get('content-length')).toBe('15')
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/)
    expect(res.headers.get('last-modified')).toBe(mtime.toUTCString())
    expect(res.headers.get('cache-control')).toBe('public, max-age=0')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('vary')).toBeNull()
  })

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['site.css', 'text/css; charset=utf-8'],
    ['logo.png', 'image/png'],
    ['digits.bin', 'application/octet-stream'],
    ['LICENSE', 'application/octet-stream'],
    ['docs/guide.md', 'text/markdown; charset=utf-8'],
  ])('types %s as %s', async (name, type) => {
    const client = await clientFor({ precompressed: false })
    expect((await client.get(`/static/${name}`)).headers.get('content-type')).toBe(type)
  })

  it('serves an empty file', async () => {
    const client = await clientFor()
    const res = await client.get('/static/empty.txt')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('0')
    expect(await res.text()).toBe('')
  })

  it('streams a large file in chunks rather than reading it whole', async () => {
    const client = await clientFor()
    const res = await client.get('/static/big.txt')
    expect(res.headers.get('content-length')).toBe(String(1024 * 1024))
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.value!.byteLength).toBeLessThan(1024 * 1024)
    let total = first.value!.byteLength
    for (let c = await reader.read(); !c.done; c = await reader.read()) total += c.value.byteLength
    expect(total).toBe(1024 * 1024)
  })

  it('answers HEAD with the headers of GET and no body', async () => {
    const client = await clientFor()
    const res = await client.head('/static/hello.txt')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-length')).toBe('15')
    expect(res.headers.get('etag')).toBe((await client.get('/static/hello.txt')).headers.get('etag'))
    expect(await res.text()).toBe('')
  })

  it('serves the index of a folder, and redirects the folder path without its slash', async () => {
    const client = await clientFor()
    const docs = await client.get('/static/docs/')
    expect(docs.status).toBe(200)
    expect(await docs.text()).toBe('<h1>docs</h1>')
    expect(docs.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const redirect = await client.get('/static/docs?x=1')
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('/static/docs/?x=1')
    const top = await client.get('/static')
    expect(top.status).toBe(301)
    expect(top.headers.get('location')).toBe('/static/')
    expect(await (await client.get('/static/')).text()).toBe('<!doctype html><title>home</title>')
  })

  it('serves the index at the folder path without redirecting when the router ignores trailing slashes', async () => {
    const app = await createApp(
      defineConfig({
        environment: 'test',
        components: { router: radix({ ignoreTrailingSlash: true }), middleware: [serveStatic({ root: site.root, prefix: '/static' })] },
      }),
    )
    apps.push(app)
    const client = createTestClient(app)
    for (const path of ['/static/docs', '/static/docs/']) {
      const res = await client.get(path)
      expect(res.status, path).toBe(200)
      expect(await res.text()).toBe('<h1>docs</h1>')
    }
  })

  it('treats a folder without an index, or with index: false, as missing', async () => {
    const client = await clientFor()
    expect((await client.get('/static/no-index/')).status).toBe(404)
    const noIndex = await clientFor({ index: false })
    expect((await noIndex.get('/static/docs/')).status).toBe(404)
    expect((await client.get('/static/hello.txt/')).status).toBe(404)
  })

  it('passes misses and other methods on to the routes, or answers 404 itself with fallthrough: false', async () => {
    const client = await clientFor()
    expect(await (await client.get('/static/dynamic')).text()).toBe('a route under the prefix')
    expect(await (await client.get('/')).text()).toBe('home route')
    expect((await client.get('/static/nope.txt')).status).toBe(404)
    expect((await client.post('/static/hello.txt')).status).toBe(404)
    const strict = await clientFor({ fallthrough: false })
    const res = await strict.get('/static/dynamic')
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('DOVETAIL_ERR_HTTP_NOT_FOUND')
    expect(await (await strict.get('/')).text()).toBe('home route')
  })

  it('serves at the site root with the default prefix', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { middleware: [serveStatic({ root: site.root })] }, routes: (r) => r.get('/.well-known/thing', (ctx) => ctx.text('well known')) }))
    apps.push(app)
    const client = createTestClient(app)
    expect(await (await client.get('/hello.txt')).text()).toBe('Hello, static!\n')
    expect(await (await client.get('/')).text()).toBe('<!doctype html><title>home</title>')
    // Dotfiles count as missing, so a route may still answer for them.
    expect(await (await client.get('/.well-known/thing')).text()).toBe('well known')
  })
})

describe('static: caching', () => {
  it('answers 304 to a matching If-None-Match, also in a list or weak', async () => {
    const client = await clientFor()
    const etag = (await client.get('/static/hello.txt')).headers.get('etag')!
    for (const inm of [etag, `"nope", ${etag}`, `W/${etag}`, '*']) {
      const res = await client.get('/static/hello.txt', { headers: { 'if-none-match': inm } })
      expect(res.status, inm).toBe(304)
      expect(res.headers.get('etag')).toBe(etag)
      expect(res.headers.get('cache-control')).toBe('public, max-age=0')
      expect(await res.text()).toBe('')
    }
    expect((await client.get('/static/hello.txt', { headers: { 'if-none-match': '"other"' } })).status).toBe(200)
  })

  it('answers 304 to If-Modified-Since at or after the modification time, unless If-None-Match disagrees', async () => {
    const client = await clientFor()
    const at = mtime.toUTCString()
    const later = new Date(mtime.getTime() + 60_000).toUTCString()
    const earlier = new Date(mtime.getTime() - 60_000).toUTCString()
    expect((await client.get('/static/hello.txt', { headers: { 'if-modified-since': at } })).status).toBe(304)
    expect((await client.get('/static/hello.txt', { headers: { 'if-modified-since': later } })).status).toBe(304)
    expect((await client.get('/static/hello.txt', { headers: { 'if-modified-since': earlier } })).status).toBe(200)
    expect((await client.get('/static/hello.txt', { headers: { 'if-modified-since': 'not a date' } })).status).toBe(200)
    const both = await client.get('/static/hello.txt', { headers: { 'if-modified-since': later, 'if-none-match': '"stale"' } })
    expect(both.status).toBe(200)
  })

  it('answers 412 to an If-Match that names no current representation (strong comparison, * for any file), on GET and HEAD', async () => {
    const client = await clientFor()
    const etag = (await client.get('/static/hello.txt')).headers.get('etag')!
    for (const im of [etag, `"nope", ${etag}`, '*']) {
      const res = await client.get('/static/hello.txt', { headers: { 'if-match': im } })
      expect(res.status, im).toBe(200)
      expect(await res.text()).toBe('Hello, static!\n')
    }
    for (const im of ['"nope"', `W/${etag}`, `"nope", W/${etag}`]) {
      for (const method of ['GET', 'HEAD']) {
        const res = await client.request(method, '/static/hello.txt', { headers: { 'if-match': im } })
        expect(res.status, `${method} ${im}`).toBe(412)
        if (method === 'GET') expect((await res.json()).error.code).toBe('DOVETAIL_ERR_STATIC_PRECONDITION_FAILED')
      }
    }
    expect((await client.get('/static/absent.txt', { headers: { 'if-match': '*' } })).status).toBe(404)
  })

  it('answers 412 to If-Unmodified-Since before the modification time (to the second), ignoring it under If-Match', async () => {
    const client = await clientFor()
    const etag = (await client.get('/static/hello.txt')).headers.get('etag')!
    const at = mtime.toUTCString()
    const later = new Date(mtime.getTime() + 60_000).toUTCString()
    const earlier = new Date(mtime.getTime() - 1000).toUTCString()
    for (const method of ['GET', 'HEAD']) {
      const get = (headers: Record<string, string>) => client.request(method, '/static/hello.txt', { headers })
      expect((await get({ 'if-unmodified-since': at })).status).toBe(200)
      expect((await get({ 'if-unmodified-since': later })).status).toBe(200)
      expect((await get({ 'if-unmodified-since': 'not a date' })).status).toBe(200)
      expect((await get({ 'if-unmodified-since': earlier })).status).toBe(412)
      expect((await get({ 'if-unmodified-since': earlier, 'if-match': etag })).status).toBe(200)
      expect((await get({ 'if-unmodified-since': later, 'if-match': '"nope"' })).status).toBe(412)
    }
  })

  it('checks If-Match and If-Unmodified-Since before If-None-Match', async () => {
    const client = await clientFor()
    const etag = (await client.get('/static/hello.txt')).headers.get('etag')!
    const res = await client.get('/static/hello.txt', { headers: { 'if-match': '"nope"', 'if-none-match': etag } })
    expect(res.status).toBe(412)
  })

  it('builds Cache-Control from maxAge and immutable, or takes it verbatim, or sends none', async () => {
    expect((await (await clientFor({ maxAge: 31536000, immutable: true })).get('/static/hello.txt')).headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect((await (await clientFor({ maxAge: 60 })).get('/static/hello.txt')).headers.get('cache-control')).toBe('public, max-age=60')
    expect((await (await clientFor({ cacheControl: 'no-cache' })).get('/static/hello.txt')).headers.get('cache-control')).toBe('no-cache')
    expect((await (await clientFor({ cacheControl: false })).get('/static/hello.txt')).headers.get('cache-control')).toBeNull()
  })
})

describe('static: ranges', () => {
  const digits = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

  it.each([
    ['bytes=0-9', 0, 9],
    ['bytes=90-', 90, 99],
    ['bytes=-5', 95, 99],
    ['bytes=95-500', 95, 99],
    ['bytes=-500', 0, 99],
    ['bytes=42-42', 42, 42],
  ])('%s -> 206 with bytes %i-%i', async (range, from, to) => {
    const client = await clientFor()
    const res = await client.get('/static/digits.bin', { headers: { range } })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe(`bytes ${from}-${to}/100`)
    expect(res.headers.get('content-length')).toBe(String(to - from + 1))
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual(digits(from, to))
  })

  it.each(['bytes=100-', 'bytes=500-600', 'bytes=-0'])('%s -> 416 with the size', async (range) => {
    const client = await clientFor()
    const res = await client.get('/static/digits.bin', { headers: { range } })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe('bytes */100')
    expect((await res.json()).error.code).toBe('DOVETAIL_ERR_STATIC_RANGE_NOT_SATISFIABLE')
  })

  it.each(['items=0-5', 'bytes=5-1', 'bytes=abc', 'bytes=0-1,5-6', 'bytes=-'])('ignores %s and sends the whole file', async (range) => {
    const client = await clientFor()
    const res = await client.get('/static/digits.bin', { headers: { range } })
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBe(100)
  })

  it('honours If-Range only while it still names the file', async () => {
    const client = await clientFor()
    const full = await client.get('/static/digits.bin')
    const etag = full.headers.get('etag')!
    const lastModified = full.headers.get('last-modified')!
    expect((await client.get('/static/digits.bin', { headers: { range: 'bytes=0-1', 'if-range': etag } })).status).toBe(206)
    expect((await client.get('/static/digits.bin', { headers: { range: 'bytes=0-1', 'if-range': lastModified } })).status).toBe(206)
    expect((await client.get('/static/digits.bin', { headers: { range: 'bytes=0-1', 'if-range': '"changed"' } })).status).toBe(200)
    expect((await client.get('/static/digits.bin', { headers: { range: 'bytes=0-1', 'if-range': `W/${etag}` } })).status).toBe(200)
  })

  it('answers 412 to a range request whose If-Match or If-Unmodified-Since fails, before looking at the range', async () => {
    const client = await clientFor()
    const etag = (await client.get('/static/digits.bin')).headers.get('etag')!
    const earlier = new Date(mtime.getTime() - 60_000).toUTCString()
    const range = (headers: Record<string, string>) => client.get('/static/digits.bin', { headers: { range: 'bytes=0-1', ...headers } })
    expect((await range({ 'if-match': etag })).status).toBe(206)
    expect((await range({ 'if-match': '*' })).status).toBe(206)
    expect((await range({ 'if-unmodified-since': mtime.toUTCString() })).status).toBe(206)
    expect((await range({ 'if-match': '"nope"' })).status).toBe(412)
    expect((await range({ 'if-match': `W/${etag}` })).status).toBe(412)
    expect((await range({ 'if-unmodified-since': earlier })).status).toBe(412)
    expect((await client.get('/static/digits.bin', { headers: { range: 'bytes=500-', 'if-match': '"nope"' } })).status).toBe(412)
  })

  it('parses ranges by the rules', () => {
    expect(parseRange(null, 10)).toBeUndefined()
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable')
    expect(parseRange('bytes = 2 - 3', 10)).toEqual({ start: 2, end: 3 })
  })
})

describe('static: precompressed siblings', () => {
  it('serves app.js.br to a client that accepts brotli, app.js.gz to one that accepts gzip', async () => {
    const client = await clientFor()
    const br = await client.get('/static/app.js', { headers: { 'accept-encoding': 'gzip, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(br.headers.get('vary')).toBe('Accept-Encoding')
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(appJs)
    const gz = await client.get('/static/app.js', { headers: { 'accept-encoding': 'br;q=0.1, gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(appJs)
    expect(gz.headers.get('etag')).not.toBe(br.headers.get('etag'))
    const plain = await client.get('/static/app.js')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toBe('Accept-Encoding')
    expect(await plain.text()).toBe(appJs)
  })

  it('uses whichever siblings exist, and none when precompressed is off', async () => {
    const client = await clientFor()
    const css = await client.get('/static/site.css', { headers: { 'accept-encoding': 'br' } })
    expect(css.headers.get('content-encoding')).toBeNull()
    expect(css.headers.get('vary')).toBe('Accept-Encoding')
    expect((await client.get('/static/site.css', { headers: { 'accept-encoding': 'br, gzip' } })).headers.get('content-encoding')).toBe('gzip')
    const off = await clientFor({ precompressed: false })
    const res = await off.get('/static/app.js', { headers: { 'accept-encoding': 'br' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(await res.text()).toBe(appJs)
  })

  it('is not compressed again by the compression middleware, and 304s per variant', async () => {
    const client = await clientFor({}, { compress: true })
    const br = await client.get('/static/app.js', { headers: { 'accept-encoding': 'br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(appJs)
    const again = await client.get('/static/app.js', { headers: { 'accept-encoding': 'br', 'if-none-match': br.headers.get('etag')! } })
    expect(again.status).toBe(304)
    // A file without a sibling is compressed on the fly and its ETag weakened.
    const big = await client.get('/static/big.txt', { headers: { 'accept-encoding': 'gzip' } })
    expect(big.headers.get('content-encoding')).toBe('gzip')
    expect(big.headers.get('etag')).toMatch(/^W\//)
    expect(gunzipSync(Buffer.from(await big.arrayBuffer())).byteLength).toBe(1024 * 1024)
  })
})

describe('static: what is never served', () => {
  it.each(['/static/.env', '/static/.git/config', '/static/%2eenv', '/static/link-to-dotfile.txt', '/static/link-out.txt', '/static/dir-link-out/secret.txt'])(
    '%s -> 404 (in process)',
    async (path) => {
      const client = await clientFor()
      const res = await client.get(path)
      expect(res.status).toBe(404)
      expect(await res.text()).not.toContain('SECRET')
    },
  )

  it('follows symlinks that stay inside the root', async () => {
    const client = await clientFor()
    expect(await (await client.get('/static/link-inside.txt')).text()).toBe('Hello, static!\n')
  })

  it('refuses traversal, encoded separators, backslashes, NUL and absolute paths sent raw over a socket', async () => {
    const app = await createApp(defineConfig({ environment: 'test', components: { middleware: [serveStatic({ root: site.root, prefix: '/static' })] } }))
    apps.push(app)
    const server = await app.listen({ port: 0 })
    const port = Number(new URL(server.url).port)
    expect((await rawGet(port, '/static/hello.txt')).body).toBe('Hello, static!\n')
    const attacks = [
      '/static/../outside/secret.txt',
      '/static/../public-evil.txt',
      '/static/docs/../../outside/secret.txt',
      '/static/%2e%2e/outside/secret.txt',
      '/static/%2E%2E/%2E%2E/outside/secret.txt',
      '/static/..%2foutside%2fsecret.txt',
      '/static/%2e%2e%2foutside%2fsecret.txt',
      '/static/..%5coutside%5csecret.txt',
      '/static/..\\outside\\secret.txt',
      '/static/hello.txt%00.png',
      '/static/%00',
      '/static//etc/passwd',
      '/static/%2fetc%2fpasswd',
      `/static/${encodeURIComponent(site.base + '/outside/secret.txt')}`,
      '/static/./hello.txt',
      '/static/%2e/.env',
      '/static/%',
      '/static/%zz',
      '/static/.env',
      '/static/.git/config',
    ]
    for (const path of attacks) {
      const res = await rawGet(port, path)
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.status, path).toBeLessThan(500)
      expect(res.body, path).not.toContain('SECRET')
      expect(res.body, path).not.toContain('root:')
    }
  })

  it('decides paths before touching the disk', () => {
    expect(resolveRequestPath('/static/a/b.txt', '/static')).toEqual({ kind: 'file', segments: ['a', 'b.txt'], directory: false })
    expect(resolveRequestPath('/static/a%20b/', '/static')).toEqual({ kind: 'file', segments: ['a b'], directory: true })
    expect(resolveRequestPath('/staticfile', '/static')).toEqual({ kind: 'outside' })
    expect(resolveRequestPath('/other', '/static')).toEqual({ kind: 'outside' })
    for (const path of ['/static/..', '/static/%2e%2e/x', '/static/a%2fb', '/static/a%5cb', '/static/a\\b', '/static/a%00', '/static//x', '/static/%2fetc', '/static/%E0%A4%A']) {
      expect(resolveRequestPath(path, '/static'), path).toEqual({ kind: 'refused' })
    }
    expect(resolveRequestPath('/static/.env', '/static')).toEqual({ kind: 'hidden' })
    expect(resolveRequestPath('/static/.git/../x', '/static')).toEqual({ kind: 'refused' })
    expect(secret).toContain('SECRET')
  })
})

describe('static: configuration', () => {
  it('refuses a root that does not exist at startup, naming the option', async () => {
    const attempt = createApp(defineConfig({ components: { middleware: [serveStatic({ root: `${site.base}/missing` })] } }))
    await expect(attempt).rejects.toBeInstanceOf(DovetailError)
    await expect(attempt).rejects.toThrow(/middleware\/static: option 'root'.*does not exist/)
    await expect(createApp(defineConfig({ components: { middleware: [serveStatic({ root: `${site.root}/hello.txt` })] } }))).rejects.toThrow(/is not a folder/)
  })

  it('loads by its built-in name, which needs a root', async () => {
    await expect(createApp(defineConfig({ components: { middleware: ['static'] } }))).rejects.toThrow(/middleware\/static.*\n.*option 'root'/)
  })

  it('refuses bad options', async () => {
    await expect(createApp(defineConfig({ components: { middleware: [serveStatic({} as StaticOptions)] } }))).rejects.toThrow(/option 'root'/)
    await expect(createApp(defineConfig({ components: { middleware: [serveStatic({ root: site.root, prefix: 'static' })] } }))).rejects.toThrow(/option 'prefix'/)
    await expect(createApp(defineConfig({ components: { middleware: [serveStatic({ root: site.root, immutable: true })] } }))).rejects.toThrow(/option 'immutable'.*maxAge/)
    await expect(createApp(defineConfig({ components: { middleware: [serveStatic({ root: site.root, index: '../x' })] } }))).rejects.toThrow(/option 'index'/)
  })
})
