import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp } from 'dovetailjs'
import { MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { ciSetting, isCi } from '../../../../test/support/ci.js'
import { seedWiki } from '../seed.js'
import { ADMIN_PASSWORD, testWikiConfig } from './wiki.case.js'

/** Debian's chromium; this suite never downloads a browser. */
const executablePath = '/usr/bin/chromium'

function chromiumAvailable(): boolean {
  if (existsSync(executablePath)) return true
  const message = `chromium is not installed at ${executablePath}`
  if (isCi()) throw new Error(`${message}, and ${ciSetting()}: the wiki's browser test must run in CI. Install it (apt-get install chromium).`)
  process.stderr.write(`\n${'!'.repeat(72)}\n!! SKIPPING the wiki browser test: ${message}.\n!! Install Debian's chromium to run it; in CI this is a failure.\n${'!'.repeat(72)}\n\n`)
  return false
}

describe.skipIf(!chromiumAvailable())('the wiki in a real browser (chromium)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-wiki-browser-'))
  /** Screenshots land here; set WIKI_SCREENSHOTS to keep them somewhere else. */
  const shots = process.env.WIKI_SCREENSHOTS ?? dir
  let app: App
  let origin: string
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    app = await createApp(testWikiConfig({ databaseUrl: join(dir, 'wiki.db') }))
    await app.resolve(MikroOrm).migrate()
    await seedWiki(app, { adminPassword: ADMIN_PASSWORD })
    origin = (await app.listen({ port: 0, host: '127.0.0.1' })).url
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    })
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } })
    // A step that cannot happen fails with its own message, well before the test's time is up.
    page.setDefaultTimeout(10_000)
  })

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    if (!process.env.WIKI_SCREENSHOTS) rmSync(dir, { recursive: true, force: true })
  })

  const save = async () => Promise.all([page.waitForURL(/\/pages\/BrowserTour$/), page.getByRole('button', { name: 'Save' }).click()])

  it('logs in, creates a page, edits it twice, compares revisions 1 and 3, and finds it by searching', { timeout: 60_000 }, async () => {
    await page.goto(`${origin}/`)
    await page.getByRole('link', { name: 'Log in' }).click()
    await page.getByLabel('Username').fill('admin')
    await page.getByLabel('Password').fill(ADMIN_PASSWORD)
    await Promise.all([page.waitForURL(`${origin}/`), page.getByRole('button', { name: 'Log in' }).click()])
    await expect.poll(() => page.locator('.flash').textContent()).toContain('Welcome, admin.')

    await page.getByRole('link', { name: 'New page' }).click()
    await page.getByLabel('Title', { exact: true }).fill('Browser Tour')
    await page.getByLabel(/^Text/).fill('# A tour\n\nStarted in a browser.\n\nSee [[FrontPage]].\n')
    await page.getByLabel(/^Comment/).fill('first draft')
    await save()
    expect(await page.locator('article h1').textContent()).toBe('A tour')

    for (const [text, comment] of [
      ['# A tour\n\nStarted in a browser, edited once.\n\nSee [[FrontPage]].\n', 'second'],
      ['# A tour\n\nStarted in a browser, edited twice.\n\nSee [[FrontPage]] and **[[HelpContents]]**.\n', 'third'],
    ] as const) {
      await page.getByRole('link', { name: 'Edit', exact: true }).click()
      await page.getByLabel(/^Text/).fill(text)
      await page.getByLabel(/^Comment/).fill(comment)
      await save()
    }
    expect(await page.locator('article').textContent()).toContain('edited twice')
    await page.screenshot({ path: join(shots, 'wiki-page.png'), fullPage: true })

    await page.getByRole('link', { name: 'History' }).click()
    await expect.poll(() => page.locator('table.history tbody tr').count()).toBe(3)
    await page.getByLabel('Compare from revision 1').check()
    await page.getByLabel('Compare to revision 3').check()
    await Promise.all([page.waitForURL(/\/pages\/BrowserTour\/diff\?/), page.getByRole('button', { name: 'Compare revisions' }).click()])
    expect(await page.locator('pre.diff del').allTextContents()).toEqual(['- Started in a browser.', '- See [[FrontPage]].'])
    expect(await page.locator('pre.diff ins').allTextContents()).toEqual(['+ Started in a browser, edited twice.', '+ See [[FrontPage]] and **[[HelpContents]]**.'])
    await page.screenshot({ path: join(shots, 'wiki-diff.png'), fullPage: true })

    await page.getByRole('searchbox', { name: 'Search' }).fill('edited TWICE')
    await Promise.all([page.waitForURL(/\/search\?q=/), page.getByRole('button', { name: 'Search', exact: true }).click()])
    await expect.poll(() => page.locator('ol.results a').allTextContents()).toEqual(['Browser Tour'])
    expect(await page.locator('ol.results mark').textContent()).toBe('edited twice')
    await page.screenshot({ path: join(shots, 'wiki-search.png'), fullPage: true })
  })
})
