import { afterEach, describe, expect, it } from 'vitest'
import { type App, createApp, defineConfig, Logger } from 'dovetailjs'
import { node } from 'dovetailjs/components/server/node'

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger }

let app: App | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** An app whose `/to?target=…` redirects (303) to the given target, as a handler would. */
async function redirecting(withServer = false): Promise<App> {
  app = await createApp(
    defineConfig({
      environment: 'test',
      ...(withServer ? { components: { server: node() } } : {}),
      register: (c) => void c.value(Logger, quietLogger),
      routes: (r) => r.get('/to', (ctx) => ctx.redirect(ctx.query.target!, 303)),
    }),
  )
  return app
}

const locationFor = async (target: string): Promise<{ status: number; location: string | null }> => {
  const a = app ?? (await redirecting())
  const res = await a.fetch(new Request(`http://localhost/to?target=${encodeURIComponent(target)}`))
  return { status: res.status, location: res.headers.get('location') }
}

describe('ctx.redirect: the Location header is always valid', () => {
  it.each([
    ['a relative target with non-ASCII text', '/café?q=ü', '/caf%C3%A9?q=%C3%BC'],
    ['a relative target with non-Latin1 text', '/日本/ページ?q=ü#部分', '/%E6%97%A5%E6%9C%AC/%E3%83%9A%E3%83%BC%E3%82%B8?q=%C3%BC#%E9%83%A8%E5%88%86'],
    ['an absolute target with non-Latin1 text', 'https://example.com/日本?q=ü', 'https://example.com/%E6%97%A5%E6%9C%AC?q=%C3%BC'],
    ['an absolute target with a non-ASCII host', 'https://bücher.example/café', 'https://xn--bcher-kva.example/caf%C3%A9'],
    ['a scheme-relative target with a non-ASCII host', '//bücher.example/a', '//xn--bcher-kva.example/a'],
    ['an emoji (a surrogate pair)', '/😀', '/%F0%9F%98%80'],
    ['spaces and characters a URL may not carry raw', '/a b/"<x>"/{y}|\\^`', '/a%20b/%22%3Cx%3E%22/%7By%7D%7C%5C%5E%60'],
    ['a stray percent sign', '/100%/%zz', '/100%25/%25zz'],
  ])('%s', async (_, target, expected) => {
    expect(await locationFor(target)).toEqual({ status: 303, location: expected })
  })

  it.each([
    ['a relative target', '/a%20b/caf%C3%A9?next=%2Fhome&q=a+b#top'],
    ['an absolute target', 'https://example.com:8443/search?q=%E6%97%A5&x=[1]#frag'],
    ['an IPv6 host', 'http://[::1]:3000/a'],
  ])('keeps an already encoded %s as it is', async (_, target) => {
    expect(await locationFor(target)).toEqual({ status: 303, location: target })
  })

  it('writes a lone surrogate (not valid text) as U+FFFD', async () => {
    app = await createApp(defineConfig({ environment: 'test', routes: (r) => r.get('/lone', (ctx) => ctx.redirect('/a\uD800b')) }))
    const res = await app.fetch(new Request('http://localhost/lone'))
    expect([res.status, res.headers.get('location')]).toEqual([302, '/a%EF%BF%BDb'])
  })

  it('never lets CR or LF into the header: they are encoded, so no header can be added', async () => {
    const a = await redirecting()
    const res = await a.fetch(new Request(`http://localhost/to?target=${encodeURIComponent('/x\r\nSet-Cookie: a=1')}`))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/x%0D%0ASet-Cookie:%20a=1')
    expect(res.headers.get('set-cookie')).toBeNull()
  })

  it('answers with the redirect over a real socket too (not a bare 500)', async () => {
    const server = await (await redirecting(true)).listen({ port: 0 })
    for (const [target, expected] of [
      ['/café?q=ü', '/caf%C3%A9?q=%C3%BC'],
      ['https://example.com/日本?q=ü', 'https://example.com/%E6%97%A5%E6%9C%AC?q=%C3%BC'],
    ]) {
      const res = await fetch(`${server.url}/to?target=${encodeURIComponent(target!)}`, { redirect: 'manual' })
      expect(res.status).toBe(303)
      expect(res.headers.get('location')).toBe(expected)
    }
  })
})
