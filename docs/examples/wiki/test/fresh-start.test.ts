import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD } from './wiki.case.js'
import { visibleText, WikiBrowser } from './wiki-browser.js'
import { startWiki, type WikiProcess } from './wiki-process.js'

describe('npm start on a fresh clone (server.ts as a process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dovetail-wiki-fresh-'))
  const database = join(dir, 'data', 'app.db')
  const env = { DATABASE_URL: database, WIKI_ADMIN_PASSWORD: ADMIN_PASSWORD }
  let running: WikiProcess | undefined

  afterAll(async () => {
    await running?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  // Two starts of server.ts under tsx (about 3 s of CPU each, most of it loading MikroORM and knex).
  // Budget: 3x the slowest measured with one core busy on the shared 2-core machine, 20.2 s (docs/testing.md).
  it('creates the data folder, the schema and the starter pages, and keeps what was written across a restart', { timeout: 65_000 }, async () => {
    expect(existsSync(join(dir, 'data'))).toBe(false)
    running = await startWiki(env)
    expect(existsSync(database)).toBe(true)
    let browser = WikiBrowser.at(running.url)
    const front = await browser.get('/')
    expect(front.status).toBe(200)
    expect(front.html).toContain('Welcome to the Dovetail Wiki')
    for (const slug of ['HelpContents', 'HelpOnMarkdown', 'SandBox']) expect((await browser.get(`/pages/${slug}`)).status).toBe(200)

    await browser.get('/login')
    expect((await browser.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '/' })).status).toBe(303)
    const saved = await browser.fill('/pages/SandBox/edit', '/pages/SandBox', { base: '1', body: 'Written before the restart.', comment: 'kept?' })
    expect(saved.status).toBe(303)
    expect(await running.stop()).toBe(0)
    expect(running.output()).toContain('starter pages created')

    running = await startWiki(env)
    expect(running.output()).not.toContain('starter pages created')
    browser = WikiBrowser.at(running.url)
    const sandbox = await browser.get('/pages/SandBox')
    expect(sandbox.html).toContain('Written before the restart.')
    expect(visibleText(sandbox.html)).toContain('Revision 2, saved by admin')
    // Seeding again changed nothing: one revision each for the pages nobody edited.
    const history = await browser.get('/pages/FrontPage/history')
    expect([...history.html.matchAll(/revisions\/\d+">#/g)]).toHaveLength(1)
    expect(await running.stop()).toBe(0)
    running = undefined
  })
})
