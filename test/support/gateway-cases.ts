import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { patternBytes, sha256 } from './gateway-app.js'

/** A web server in front of an app built with `gatewayRoutes`. */
export interface GatewayTarget {
  /** The web server's base URL, `http://127.0.0.1:<port>`. */
  url: string
  /** Let the app send the rest of /stream. */
  release(): void | Promise<void>
}

/** A gate that can be waited on and opened again and again: one opening per wait. */
export function reusableGate(): { wait(): Promise<void>; open(): void } {
  let opened = 0
  let waiting: Array<() => void> = []
  return {
    wait: () =>
      new Promise<void>((resolve) => {
        if (opened > 0) {
          opened--
          resolve()
        } else waiting.push(resolve)
      }),
    open: () => {
      const next = waiting.shift()
      if (next) next()
      else opened++
    },
  }
}

/** Fail with a message instead of hanging until the test timeout. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms)
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    )
  })
}

const MiB = 1024 * 1024

/**
 * What a client of the web server must see, whichever adapter is behind it:
 * the same cases for FastCGI and SCGI under nginx and CGI under lighttpd
 * (the idea of a conformance suite, for the gateway itself).
 */
export function runGatewayCases(target: () => GatewayTarget, options: { largeBody?: number } = {}): void {
  const large = options.largeBody ?? 5 * MiB

  it('GET: route parameters, repeated and encoded query values, the full URL and the client address', async () => {
    const { url } = target()
    const res = await fetch(`${url}/hello/w%C3%B6rld?a=1&a=2&b=x%20y`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(await res.json()).toEqual({
      name: 'wörld',
      query: { a: ['1', '2'], b: ['x y'] },
      method: 'GET',
      url: `${url}/hello/w%C3%B6rld?a=1&a=2&b=x%20y`,
      client: '127.0.0.1',
    })
  })

  it('POST: a binary body makes the round trip intact, with its content type', async () => {
    const body = randomBytes(100_000)
    const res = await fetch(`${target().url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/x-test' } })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-type')).toBe('application/x-test')
    expect(res.headers.get('x-sha256')).toBe(sha256(body))
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true)
  })

  it('headers both ways: custom and cookie headers in, custom headers and three Set-Cookie lines out', async () => {
    const res = await fetch(`${target().url}/headers`, {
      headers: { 'x-custom': 'hello there', cookie: 'session=abc; theme=dark', accept: 'application/json' },
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-answer')).toBe('42')
    expect(res.headers.get('cache-control')).toBe('no-store')
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/; HttpOnly', 'b=2; Path=/; SameSite=Lax', 'c=3, with comma; Secure'])
    expect(await res.json()).toEqual({ custom: 'hello there', many: null, cookie: 'session=abc; theme=dark', accept: 'application/json', contentType: null })
  })

  it("status codes: the app's own 404, a 418 and an empty 204", async () => {
    const { url } = target()
    const missing = await fetch(`${url}/nowhere`, { headers: { accept: 'application/json' } })
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: { status: 404 } })
    const teapot = await fetch(`${url}/status/418`)
    expect(teapot.status).toBe(418)
    expect(await teapot.text()).toBe('status 418')
    const empty = await fetch(`${url}/status/204`)
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')
  })

  it('redirects: a 302 and a 303 after POST keep their Location, and a client following them lands', async () => {
    const { url } = target()
    const found = await fetch(`${url}/redirect`, { redirect: 'manual' })
    expect(found.status).toBe(302)
    expect(found.headers.get('location')).toBe('/hello/redirected?from=redirect')
    const seeOther = await fetch(`${url}/form`, { method: 'POST', body: 'x=1', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    expect(seeOther.status).toBe(303)
    expect(seeOther.headers.get('location')).toBe('/hello/posted')
    const followed = await fetch(`${url}/redirect`)
    expect(((await followed.json()) as { name: string }).name).toBe('redirected')
  })

  it('a streamed response: the first chunk reaches the client before the app produces the next', async () => {
    const t = target()
    const res = await fetch(`${t.url}/stream`)
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    const first = await within(reader.read(), 10_000, 'the first chunk arriving while the app holds the rest')
    expect(decoder.decode(first.value)).toBe('first;')
    await t.release()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value, { stream: true })
    expect(rest).toBe('second;last')
  })

  it(`large bodies both ways (${large / MiB} MiB)`, async () => {
    const { url } = target()
    const body = randomBytes(large)
    const echoed = await fetch(`${url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } })
    expect(echoed.status).toBe(201)
    const back = Buffer.from(await echoed.arrayBuffer())
    expect(back.length).toBe(large)
    expect(sha256(back)).toBe(sha256(body))
    const res = await fetch(`${url}/large?bytes=${large}`)
    const got = new Uint8Array(await res.arrayBuffer())
    expect(got.byteLength).toBe(large)
    expect(sha256(got)).toBe(sha256(patternBytes(large)))
  })

  it('HEAD: the status and headers of the GET, no body', async () => {
    const { url } = target()
    const get = await fetch(`${url}/large-text?bytes=1234`)
    expect(await get.text()).toHaveLength(1234)
    const head = await fetch(`${url}/large-text?bytes=1234`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(head.headers.get('content-length')).toBe('1234')
    expect(await head.text()).toBe('')
  })
}
