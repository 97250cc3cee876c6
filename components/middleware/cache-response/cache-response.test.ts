import { describe, expect, it } from 'vitest'
import { type App, Cache, createApp, defineConfig, type DovetailConfig, Logger } from 'dovetailjs'
import { createTestClient } from 'dovetailjs/testing'
import { memoryCache } from 'dovetailjs/components/cache/memory'
import { cacheResponse } from 'dovetailjs/components/middleware/cache-response'

const quiet = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

/** An app whose routes count their renders, so a test can tell a hit from a render. */
async function countingApp(routes: DovetailConfig['routes'], cache: DovetailConfig['components'] = { cache: memoryCache() }): Promise<App> {
  return createApp(defineConfig({ environment: 'test', components: cache, routes, register: (c) => void c.value(Logger, quiet) }))
}

describe('cacheResponse', () => {
  it('renders once and serves the stored response afterwards, with ETag, Age and Cache-Status', async () => {
    let renders = 0
    const app = await countingApp((r) => {
      r.get('/page', (ctx) => ctx.html(`<p>render ${++renders}</p>`), { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    const first = await client.get('/page')
    const second = await client.get('/page')
    expect(await first.text()).toBe('<p>render 1</p>')
    expect(await second.text()).toBe('<p>render 1</p>')
    expect(renders).toBe(1)
    expect(first.headers.get('cache-status')).toBe('dovetail; fwd=miss; stored')
    expect(second.headers.get('cache-status')).toBe('dovetail; hit')
    expect(second.headers.get('age')).toMatch(/^\d+$/)
    expect(first.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{22}"$/)
    expect(second.headers.get('etag')).toBe(first.headers.get('etag'))
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'))
    expect(second.headers.get('cache-control')).toBe('no-cache')
    await app.close()
  })

  it('answers 304 without a body when If-None-Match names the ETag', async () => {
    const app = await countingApp((r) => {
      r.get('/page', (ctx) => ctx.text('body'), { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    const etag = (await client.get('/page')).headers.get('etag')!
    const revalidated = await client.get('/page', { headers: { 'if-none-match': `W/"other", ${etag}` } })
    expect(revalidated.status).toBe(304)
    expect(await revalidated.text()).toBe('')
    expect(revalidated.headers.get('etag')).toBe(etag)
    expect((await client.get('/page', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200)
    await app.close()
  })

  it('gives a different body a different ETag', async () => {
    let n = 0
    const app = await countingApp((r) => {
      r.get('/page', (ctx) => ctx.text(`version ${++n}`), { use: [cacheResponse({ ttl: 60_000, tags: ['pages'] })] })
    })
    const client = createTestClient(app)
    const before = (await client.get('/page')).headers.get('etag')
    await app.resolve(Cache).clearTag('pages')
    const after = await client.get('/page', { headers: { 'if-none-match': before! } })
    expect(after.status).toBe(200)
    expect(await after.text()).toBe('version 2')
    expect(after.headers.get('etag')).not.toBe(before)
    await app.close()
  })

  it('renders again after clearTag of one of its tags, from a function of the request', async () => {
    let renders = 0
    const app = await countingApp((r) => {
      r.get('/pages/:slug', (ctx) => ctx.text(`${ctx.params.slug} ${++renders}`), { use: [cacheResponse({ ttl: 60_000, tags: (ctx) => [`page:${ctx.params.slug}`] })] })
    })
    const client = createTestClient(app)
    await client.get('/pages/a')
    await client.get('/pages/b')
    await app.resolve(Cache).clearTag('page:a')
    expect(await (await client.get('/pages/a')).text()).toBe('a 3')
    expect(await (await client.get('/pages/b')).text()).toBe('b 2')
    await app.close()
  })

  it('keys on the host, the query and each header in vary, and names those headers in Vary', async () => {
    const app = await countingApp((r) => {
      r.get('/hello', (ctx) => ctx.text(`${ctx.request.headers.get('accept-language') ?? 'none'} ${ctx.query.n ?? ''}`), {
        use: [cacheResponse({ ttl: 60_000, vary: ['Accept-Language'] })],
      })
    })
    const client = createTestClient(app)
    const fr = await client.get('/hello?n=1', { headers: { 'accept-language': 'fr' } })
    const de = await client.get('/hello?n=1', { headers: { 'accept-language': 'de' } })
    const other = await client.get('/hello?n=2', { headers: { 'accept-language': 'fr' } })
    expect([await fr.text(), await de.text(), await other.text()]).toEqual(['fr 1', 'de 1', 'fr 2'])
    expect((await client.get('/hello?n=1', { headers: { 'accept-language': 'fr' } })).headers.get('cache-status')).toBe('dovetail; hit')
    expect(fr.headers.get('vary')).toBe('Accept-Language, Cookie')
    // Another host name is another page.
    const otherHost = await createTestClient(app, 'http://other.example').get('/hello?n=1', { headers: { 'accept-language': 'fr' } })
    expect(otherHost.headers.get('cache-status')).toBe('dovetail; fwd=miss; stored')
    await app.close()
  })

  it('does not store what a route answered to HEAD', async () => {
    const app = await countingApp((r) => {
      const use = [cacheResponse({ ttl: 60_000 })]
      r.route('HEAD', '/page', () => new Response(null, { headers: { 'x-head': 'own' } }), { use })
      r.get('/page', (ctx) => ctx.text('full body'), { use })
    })
    const client = createTestClient(app)
    expect((await client.head('/page')).headers.get('x-head')).toBe('own')
    expect(await (await client.get('/page')).text()).toBe('full body')
    await app.close()
  })

  it('neither serves nor stores for a request with a session cookie or credentials', async () => {
    const app = await countingApp((r) => {
      r.get('/page', (ctx) => ctx.text(ctx.request.headers.get('cookie') ? `for ${ctx.request.headers.get('cookie')}` : 'for anyone'), { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    const user = await client.get('/page', { headers: { cookie: 'theme=dark; sid=alice-session' } })
    expect(await user.text()).toBe('for theme=dark; sid=alice-session')
    expect(user.headers.get('cache-status')).toBe('dovetail; fwd=bypass')
    expect(await (await client.get('/page')).text()).toBe('for anyone')
    expect(await (await client.get('/page', { headers: { cookie: 'sid=bob-session' } })).text()).toBe('for sid=bob-session')
    expect(await (await client.get('/page', { headers: { authorization: 'Bearer x' } })).text()).toBe('for anyone')
    expect((await client.get('/page', { headers: { authorization: 'Bearer x' } })).headers.get('cache-status')).toBe('dovetail; fwd=bypass')
    // A cookie that is not a session's does not bypass.
    expect((await client.get('/page', { headers: { cookie: 'theme=dark' } })).headers.get('cache-status')).toBe('dovetail; hit')
    await app.close()
  })

  it('does not store responses that set a cookie, are private or no-store, are not 200, or vary on something else', async () => {
    const renders: Record<string, number> = {}
    const count = (path: string) => (renders[path] = (renders[path] ?? 0) + 1)
    const app = await countingApp((r) => {
      const use = [cacheResponse({ ttl: 60_000 })]
      r.get('/cookie', (ctx) => ctx.text(`${count('cookie')}`, { headers: { 'set-cookie': 'sid=new; HttpOnly' } }), { use })
      r.get('/private', (ctx) => ctx.text(`${count('private')}`, { headers: { 'cache-control': 'private, max-age=60' } }), { use })
      r.get('/no-store', (ctx) => ctx.text(`${count('no-store')}`, { headers: { 'cache-control': 'no-store' } }), { use })
      r.get('/missing', (ctx) => ctx.text(`${count('missing')}`, { status: 404 }), { use })
      r.get('/varies', (ctx) => ctx.text(`${count('varies')}`, { headers: { vary: 'User-Agent' } }), { use })
    })
    const client = createTestClient(app)
    for (const path of ['cookie', 'private', 'no-store', 'missing', 'varies']) {
      await client.get(`/${path}`)
      const second = await client.get(`/${path}`)
      expect(await second.text(), path).toBe('2')
      expect(second.headers.get('cache-status'), path).toBe('dovetail; fwd=miss')
    }
    expect((await client.get('/cookie')).headers.getSetCookie()).toEqual(['sid=new; HttpOnly'])
    await app.close()
  })

  it('answers HEAD from what a GET stored, and leaves other methods alone', async () => {
    let renders = 0
    const app = await countingApp((r) => {
      const use = [cacheResponse({ ttl: 60_000 })]
      r.get('/page', (ctx) => ctx.text(`render ${++renders}`), { use })
      r.post('/page', (ctx) => ctx.text(`post ${++renders}`), { use })
    })
    const client = createTestClient(app)
    expect(await (await client.get('/page')).text()).toBe('render 1')
    const head = await client.head('/page')
    expect(head.status).toBe(200)
    expect(head.headers.get('cache-status')).toBe('dovetail; hit')
    expect(await head.text()).toBe('')
    expect(await (await client.post('/page')).text()).toBe('post 2')
    expect(await (await client.post('/page')).text()).toBe('post 3')
    await app.close()
  })

  it('renders once for concurrent misses of one page', async () => {
    let renders = 0
    const app = await countingApp((r) => {
      r.get('/slow', async (ctx) => {
        renders++
        await new Promise((resolve) => setTimeout(resolve, 50))
        return ctx.text('slow page')
      }, { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    const responses = await Promise.all(Array.from({ length: 8 }, () => client.get('/slow')))
    expect(renders).toBe(1)
    expect(await Promise.all(responses.map((r) => r.text()))).toEqual(Array.from({ length: 8 }, () => 'slow page'))
    await app.close()
  })

  it('gives concurrent misses each its own response when the first one may not be stored', async () => {
    let renders = 0
    const app = await countingApp((r) => {
      r.get('/flash', async (ctx) => {
        const n = ++renders
        await new Promise((resolve) => setTimeout(resolve, 30))
        return ctx.text(`render ${n}`, { headers: { 'set-cookie': `flash=${n}` } })
      }, { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    const responses = await Promise.all(Array.from({ length: 3 }, () => client.get('/flash')))
    const pairs = await Promise.all(responses.map(async (r) => [await r.text(), r.headers.getSetCookie()[0]]))
    // Nobody got another request's cookie.
    for (const [text, cookie] of pairs) expect(cookie).toBe(`flash=${text!.slice('render '.length)}`)
    expect(new Set(pairs.map(([text]) => text)).size).toBe(3)
    await app.close()
  })

  it("passes the handler's error through, and stores nothing", async () => {
    let calls = 0
    const app = await countingApp((r) => {
      r.get('/broken', (ctx) => {
        if (++calls === 1) throw new Error('boom')
        return ctx.text('fixed')
      }, { use: [cacheResponse({ ttl: 60_000 })] })
    })
    const client = createTestClient(app)
    expect((await client.get('/broken')).status).toBe(500)
    expect(await (await client.get('/broken')).text()).toBe('fixed')
    await app.close()
  })

  it('sends public, max-age when maxAge is set, and keeps a Cache-Control the handler set', async () => {
    const app = await countingApp((r) => {
      r.get('/public', (ctx) => ctx.text('x'), { use: [cacheResponse({ ttl: 60_000, maxAge: 30 })] })
      r.get('/own', (ctx) => ctx.text('x', { headers: { 'cache-control': 'public, max-age=5' } }), { use: [cacheResponse({ ttl: 60_000, maxAge: 30 })] })
    })
    const client = createTestClient(app)
    expect((await client.get('/public')).headers.get('cache-control')).toBe('public, max-age=30')
    expect((await client.get('/own')).headers.get('cache-control')).toBe('public, max-age=5')
    await app.close()
  })

  it('answers 503 with Retry-After when the cache is down, or slow', async () => {
    const down = { name: 'down', get: () => Promise.reject(new Error('ECONNREFUSED')), set: () => Promise.reject(new Error('x')), delete: () => Promise.reject(new Error('x')), clearTag: () => Promise.reject(new Error('x')), getOrCompute: () => Promise.reject(new Error('x')) }
    const withDownCache = await createApp(
      defineConfig({
        environment: 'test',
        register: (c) => {
          c.value(Logger, quiet)
          c.value(Cache, down)
        },
        routes: (r) => r.get('/page', (ctx) => ctx.text('x'), { use: [cacheResponse({ ttl: 60_000, retryAfter: 7 })] }),
      }),
    )
    const response = await createTestClient(withDownCache).get('/page')
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toBe('7')
    await withDownCache.close()

    const hanging = { ...down, get: () => new Promise<never>(() => {}) }
    const slow = await createApp(
      defineConfig({
        environment: 'test',
        register: (c) => {
          c.value(Logger, quiet)
          c.value(Cache, hanging)
        },
        routes: (r) => r.get('/page', (ctx) => ctx.text('x'), { use: [cacheResponse({ ttl: 60_000, timeout: 100 })] }),
      }),
    )
    const started = performance.now()
    expect((await createTestClient(slow).get('/page')).status).toBe(503)
    expect(performance.now() - started).toBeLessThan(2_000)
    await slow.close()

  })

  it('stops createApp when a route uses it and no component fills the cache slot, naming the route', async () => {
    const started = createApp(
      defineConfig({
        environment: 'test',
        register: (c) => void c.value(Logger, quiet),
        routes: (r) => r.get('/page', (ctx) => ctx.text('x'), { use: [cacheResponse({ ttl: 60_000 })] }),
      }),
    )
    await expect(started).rejects.toMatchObject({ code: 'DOVETAIL_ERR_COMPONENT_MISSING_REQUIREMENT' })
    await expect(started).rejects.toThrow("Route GET /page: cacheResponse() needs a component in the cache slot: add components: { cache: 'memory' }")
  })

  it('refuses bad options at once, naming the option', () => {
    expect(() => cacheResponse({ ttl: 0 })).toThrow(/cacheResponse\(\): option 'ttl'/)
    expect(() => cacheResponse({ ttl: 1_000, vary: ['Bad Header'] })).toThrow(/option 'vary.0'/)
    expect(() => cacheResponse({ ttl: 1_000, tags: 'page' as never })).toThrow(/option 'tags'/)
  })
})
