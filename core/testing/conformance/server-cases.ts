import { isIP } from 'node:net'
import { expect } from 'vitest'
import { COOKIES, patternBytes, SECRET_MESSAGE, sha256, UTF8_TEXT } from '../server-conformance-data.js'
import type { KitTarget } from './server-target.js'

const MiB = 1024 * 1024

/** `bytes` random bytes (getRandomValues gives at most 64 KiB a call). */
function randomBytes(bytes: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes)
  for (let at = 0; at < bytes; at += 65_536) crypto.getRandomValues(out.subarray(at, Math.min(at + 65_536, bytes)))
  return out
}

/** The cases that are one exchange or a few: what a client sends, what it must get back. */
export const exchangeCases = {
  'request-url': {
    title: 'the request URL: scheme, host, port, an encoded UTF-8 path, repeated and encoded query values',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/hello/w%C3%B6rld?a=1&a=2&b=x%20y`)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8')
      expect(await res.json()).toEqual({ name: 'wörld', query: { a: ['1', '2'], b: ['x y'] }, method: 'GET', url: `${url}/hello/w%C3%B6rld?a=1&a=2&b=x%20y` })
    },
  },
  'client-address': {
    title: 'the client address reaches the app (clientAddress(request))',
    async run({ url }: KitTarget) {
      const { client } = (await (await fetch(`${url}/client`)).json()) as { client: string | null }
      expect(client, 'clientAddress(request) in the app').not.toBeNull()
      expect(isIP(client!.replace(/^::ffff:/, '')), `'${client}' is an IP address`).not.toBe(0)
    },
  },
  'plain-body': {
    title: 'plain bodies: an ASCII text out, a binary body in and back intact with its content type',
    async run({ url }: KitTarget) {
      const text = await fetch(`${url}/text`)
      expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8')
      expect(await text.text()).toBe('plain ASCII text')
      const body = randomBytes(100_000)
      const res = await fetch(`${url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/x-kit' } })
      expect(res.status).toBe(201)
      expect(res.headers.get('content-type')).toBe('application/x-kit')
      expect(res.headers.get('x-sha256')).toBe(await sha256(body))
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(body)
    },
  },
  'utf8-body': {
    title: 'UTF-8 bodies both ways, with a content-length in bytes',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/utf8`)
      const length = res.headers.get('content-length')
      if (length !== null) expect(Number(length)).toBe(new TextEncoder().encode(UTF8_TEXT).byteLength)
      expect(await res.text()).toBe(UTF8_TEXT)
      const echoed = await fetch(`${url}/echo`, { method: 'POST', body: UTF8_TEXT, headers: { 'content-type': 'text/plain; charset=utf-8' } })
      expect(echoed.headers.get('x-sha256')).toBe(await sha256(UTF8_TEXT))
      expect(await echoed.text()).toBe(UTF8_TEXT)
    },
  },
  'large-bodies': {
    title: 'large bodies both ways (10 MiB up, echoed back, and 10 MiB down)',
    async run({ url }: KitTarget) {
      const size = 10 * MiB
      const body = randomBytes(size)
      const echoed = await fetch(`${url}/echo`, { method: 'POST', body, headers: { 'content-type': 'application/octet-stream' } })
      expect(echoed.status).toBe(201)
      expect(echoed.headers.get('x-sha256'), 'what the app received').toBe(await sha256(body))
      const back = new Uint8Array(await echoed.arrayBuffer())
      expect(back.byteLength).toBe(size)
      expect(await sha256(back), 'what came back').toBe(await sha256(body))
      const down = new Uint8Array(await (await fetch(`${url}/large?bytes=${size}`)).arrayBuffer())
      expect(down.byteLength).toBe(size)
      expect(await sha256(down)).toBe(await sha256(patternBytes(size)))
    },
  },
  headers: {
    title: 'headers both ways: custom and cookie headers in, custom headers out',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/headers`, { headers: { 'x-custom': 'hello there', cookie: 'session=abc; theme=dark', accept: 'application/json' } })
      expect(res.headers.get('x-answer')).toBe('42')
      expect(res.headers.get('cache-control')).toBe('no-store')
      expect(await res.json()).toEqual({ custom: 'hello there', cookie: 'session=abc; theme=dark', accept: 'application/json' })
    },
  },
  'set-cookie': {
    title: 'several Set-Cookie headers, each its own line (commas and dates inside kept)',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/cookies`)
      expect(res.headers.getSetCookie()).toEqual(COOKIES)
      expect(await res.text()).toBe('cookies')
    },
  },
  redirects: {
    title: 'redirects: a 302, a 303 after POST, a 301 from Response.redirect, and a client following one lands',
    async run({ url }: KitTarget) {
      const found = await fetch(`${url}/redirect`, { redirect: 'manual' })
      expect([found.status, found.headers.get('location')]).toEqual([302, '/hello/redirected?from=redirect'])
      const seeOther = await fetch(`${url}/form`, { method: 'POST', body: 'x=1', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } })
      expect([seeOther.status, seeOther.headers.get('location')]).toEqual([303, '/hello/posted'])
      const moved = await fetch(`${url}/moved`, { redirect: 'manual' })
      expect([moved.status, moved.headers.get('location')]).toEqual([301, `${url}/hello/moved`])
      const followed = await fetch(`${url}/redirect`)
      expect(((await followed.json()) as { name: string }).name).toBe('redirected')
    },
  },
  head: {
    title: 'HEAD: the status and headers of the GET, and no body',
    async run({ url }: KitTarget) {
      const get = await fetch(`${url}/utf8`)
      await get.text()
      const head = await fetch(`${url}/utf8`, { method: 'HEAD' })
      expect(head.status).toBe(200)
      expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
      expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(UTF8_TEXT).byteLength))
      expect(await head.text()).toBe('')
    },
  },
  'status-codes': {
    title: "status codes: a 418 with its body, an empty 204, the app's 404 and its 405 with Allow",
    async run({ url }: KitTarget) {
      const teapot = await fetch(`${url}/status/418`)
      expect([teapot.status, await teapot.text()]).toEqual([418, 'status 418'])
      const empty = await fetch(`${url}/status/204`)
      expect([empty.status, await empty.text()]).toEqual([204, ''])
      const missing = await fetch(`${url}/nowhere`, { headers: { accept: 'application/json' } })
      expect(missing.status).toBe(404)
      expect(await missing.json()).toMatchObject({ error: { status: 404 } })
      const wrongMethod = await fetch(`${url}/text`, { method: 'DELETE' })
      expect(wrongMethod.status).toBe(405)
      expect(wrongMethod.headers.get('allow')).toBe('GET, HEAD')
      await wrongMethod.body?.cancel()
    },
  },
  'throwing-handler': {
    title: 'a handler that throws: a 500 that does not show the error, and the next request is served',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/throw`)
      expect(res.status).toBe(500)
      expect(await res.text()).not.toContain(SECRET_MESSAGE)
      expect((await fetch(`${url}/text`)).status).toBe(200)
    },
  },
  'mounted-app': {
    title: 'a mounted sub-app sees the URL the client used with the prefix cut, and ctx.url() builds its own links',
    async run({ url }: KitTarget) {
      const res = await fetch(`${url}/sub/page/7?q=1`)
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ url: `${url}/page/7?q=1`, path: '/page/7', link: '/page/x%20y' })
      expect(await (await fetch(`${url}/link`)).text()).toBe('/hello/a%20b')
    },
  },
} satisfies Record<string, { title: string; run(target: KitTarget): Promise<void> }>
