import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { type App, createApp } from 'dovetailjs'
import body from 'dovetailjs/components/middleware/body'
import { openapi } from 'dovetailjs/components/middleware/openapi'
import { auth, requireUser } from 'dovetailjs/components/middleware/auth'
import securityHeaders from 'dovetailjs/components/middleware/security-headers'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { ciSetting, isCi } from '../../../test/support/ci.js'

// The reference page is judged in a browser: Debian's chromium renders it from this app alone.
const executablePath = '/usr/bin/chromium'
const haveChromium = existsSync(executablePath)
if (!haveChromium) {
  if (isCi()) throw new Error(`${executablePath} is missing, and ${ciSetting()}: install Debian's chromium package.`)
  process.stderr.write(`\n!! SKIPPING the OpenAPI reference page browser test: ${executablePath} is missing.\n\n`)
}

/** The screenshot, a test artifact (.ci/out is gitignored). */
const artifacts = fileURLToPath(new URL('../../../.ci/out/', import.meta.url))

describe.skipIf(!haveChromium)('the OpenAPI reference page in a real browser (chromium)', () => {
  let app: App
  let origin: string
  let browser: Browser

  beforeAll(async () => {
    const Note = z.object({ id: z.number().int(), title: z.string(), tags: z.array(z.string()) })
    app = await createApp({
      environment: 'test',
      components: {
        'session-store': memoryStore(),
        middleware: [
          // As strict as the api preset's policy: the page must work under its own.
          securityHeaders({ contentSecurityPolicy: { useDefaults: false, directives: { 'default-src': "'none'", 'frame-ancestors': "'none'" } } }),
          openapi({ info: { title: 'Notes API', version: '1.0.0', description: 'Notes, checked in a browser.' } }),
          sessionMiddleware({ secrets: ['openapi-browser-secret-0123456789-0123456789'] }),
          auth({ loadUser: () => undefined }),
          body(),
        ],
      },
      routes(r) {
        r.get('/notes', { schemas: { query: z.object({ tag: z.string().optional() }), response: { 200: z.array(Note) } }, name: 'listNotes', summary: 'List notes', tags: ['notes'] }, (ctx) => ctx.json([]))
        r.get('/notes/:id', { schemas: { params: z.object({ id: z.coerce.number().int() }), response: { 200: Note } }, name: 'getNote', summary: 'Read one note', tags: ['notes'] }, (ctx) => ctx.json({}))
        r.post('/notes', { schemas: { body: Note.omit({ id: true }), response: { 201: Note } }, name: 'createNote', summary: 'Create a note', tags: ['notes'] }, requireUser((ctx) => ctx.json({}, { status: 201 })))
      },
    })
    origin = (await app.listen({ port: 0, host: '127.0.0.1' })).url
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  it('renders every operation from the app alone, with no policy violation, and is screenshotted', { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } })
    page.setDefaultTimeout(15_000)
    const problems: string[] = []
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())))
    page.on('pageerror', (e) => void problems.push(String(e)))
    page.on('response', (r) => void (r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`)))
    const elsewhere: string[] = []
    page.on('request', (r) => void (!r.url().startsWith(origin) && !r.url().startsWith('data:') && elsewhere.push(r.url())))
    try {
      await page.goto(`${origin}/docs`)
      await page.locator('.opblock').nth(2).waitFor()
      const summaries = await page.locator('.opblock-summary').allInnerTexts()
      expect(summaries.map((s) => s.replace(/\s+/g, ' ').trim())).toEqual([
        expect.stringMatching(/^GET \/notes List notes/),
        expect.stringMatching(/^POST \/notes Create a note/),
        expect.stringMatching(/^GET \/notes\/\{id\} Read one note/),
      ])
      expect(await page.locator('.info .title').innerText()).toContain('Notes API')
      // The guarded operation shows its lock, from the session scheme the auth guard noted.
      expect(await page.locator('.opblock-post .authorization__btn').count()).toBe(1)
      await page.locator('.opblock-get .opblock-summary').nth(1).click()
      await page.locator('.parameters').waitFor()
      expect(await page.locator('.parameters').innerText()).toMatch(/id\s*\*\s+integer\s+\(path\)/)
      mkdirSync(artifacts, { recursive: true })
      await page.screenshot({ path: `${artifacts}openapi-reference.png`, fullPage: true })
      expect(problems).toEqual([])
      expect(elsewhere).toEqual([])
    } finally {
      await page.close()
    }
  })
})
