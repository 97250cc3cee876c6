import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { cors } from 'dovetailjs/components/middleware/cors'
import { ciSetting, isCi } from '../../../test/support/ci.js'

// The real judge of CORS is a browser: this runs Chromium against the app on loopback.
const executablePath = '/usr/bin/chromium'
const haveChromium = existsSync(executablePath)
if (!haveChromium) {
  if (isCi()) throw new Error(`${executablePath} is missing, and ${ciSetting()}: install Debian's chromium package.`)
  process.stderr.write(`\n!! SKIPPING the CORS browser test: ${executablePath} is missing.\n\n`)
}

/** A page server: each origin is a port on 127.0.0.1, serving an empty page. */
async function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>client</title>'))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

describe.skipIf(!haveChromium)('middleware/cors in a real browser', () => {
  let browser: Browser
  let app: App
  let api: string
  const pages: Server[] = []
  let allowed: string
  let other: string

  beforeAll(async () => {
    const a = await pageServer()
    const b = await pageServer()
    pages.push(a.server, b.server)
    allowed = a.origin
    other = b.origin
    app = await createApp({
      environment: 'production',
      components: {
        logger: pinoLogger({ level: 'silent' }),
        middleware: [cors({ origin: [allowed], allowedHeaders: ['content-type', 'x-api-version'], exposedHeaders: ['x-total'] })],
      },
      routes(r) {
        r.put('/items/:id', async (ctx) => ctx.json({ id: ctx.params.id, got: await ctx.request.json() }, { headers: { 'x-total': '1', 'x-hidden': 'no' } }))
      },
    })
    api = (await app.listen({ port: 0, host: '127.0.0.1' })).url
    browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] })
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    for (const s of pages) s.close()
  })

  /** Run a preflighted fetch from a page on `origin`; report what the script could read. */
  async function fetchFrom(origin: string) {
    const page = await browser.newPage()
    try {
      await page.goto(`${origin}/`)
      return await page.evaluate(async (url) => {
        try {
          const res = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json', 'x-api-version': '2' }, body: JSON.stringify({ name: 'teapot' }) })
          return { ok: true, status: res.status, body: await res.json(), total: res.headers.get('x-total'), hidden: res.headers.get('x-hidden') }
        } catch (error) {
          return { ok: false, error: String(error) }
        }
      }, `${api}/items/7`)
    } finally {
      await page.close()
    }
  }

  it('lets a script on an allowed origin make a preflighted request and read the answer and exposed headers', async () => {
    expect(await fetchFrom(allowed)).toEqual({ ok: true, status: 200, body: { id: '7', got: { name: 'teapot' } }, total: '1', hidden: null })
  })

  it('blocks a script on another origin', async () => {
    const result = await fetchFrom(other)
    expect(result).toMatchObject({ ok: false })
    expect(result.error).toContain('TypeError')
  })
})
