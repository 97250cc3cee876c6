import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp } from 'dovetailjs'
import { MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { seedWiki } from '../seed.js'
import { tempDatabase } from './temp-db.js'
import { ADMIN_PASSWORD, testWikiConfig } from './wiki.case.js'
import { visibleText, WikiBrowser } from './wiki-browser.js'

/** What a page is to a reader and to a browser: its text, where its links go, what its forms send. */
const essence = (html: string) => ({
  text: visibleText(html),
  links: [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]),
  fields: [...html.matchAll(/<(?:input|textarea|button)[^>]*?(?:name="([^"]*)")?[^>]*>/g)].map((m) => m[0].replace(/value="[^"]*"/, '').replace(/\s+/g, ' ')),
})

describe('the eta and nunjucks templates', () => {
  const database = tempDatabase('agree')
  let eta: App
  let nunjucks: App

  beforeAll(async () => {
    eta = await createApp(testWikiConfig({ databaseUrl: database }))
    await eta.resolve(MikroOrm).migrate()
    await seedWiki(eta, { adminPassword: ADMIN_PASSWORD })
    nunjucks = await createApp(testWikiConfig({ databaseUrl: database, template: 'nunjucks' }))
    // Some history to show: two revisions of the SandBox.
    const admin = WikiBrowser.of(eta)
    await admin.get('/login')
    await admin.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '/' })
    await admin.fill('/pages/SandBox/edit', '/pages/SandBox', { base: '1', body: 'Sandbox, **edited** <b>once</b>.', comment: 'a <comment>' })
  })

  afterAll(async () => {
    await eta?.close()
    await nunjucks?.close()
  })

  it('render the same pages: the same text, links and form fields, for visitors and logged-in users', async () => {
    const paths = [
      '/',
      '/pages',
      '/pages/SandBox',
      '/pages/SandBox/history',
      '/pages/SandBox/revisions/1',
      '/pages/SandBox/diff?from=1&to=2',
      '/pages/NoSuchPage',
      '/changes',
      '/search?q=sandbox',
      '/search?q=nothing-matches-this',
      '/search',
      '/login?next=/pages',
    ]
    const loggedIn = ['/pages/SandBox/edit', '/new?slug=SomeNewPage', '/pages/SandBox']
    for (const logIn of [false, true]) {
      const onEta = WikiBrowser.of(eta)
      const onNunjucks = WikiBrowser.of(nunjucks)
      if (logIn) {
        for (const b of [onEta, onNunjucks]) {
          await b.get('/login')
          expect((await b.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '/' })).status).toBe(303)
          await b.get('/') // read (and so clear) the welcome message
        }
      }
      for (const path of logIn ? [...paths, ...loggedIn] : paths) {
        const [a, b] = [await onEta.get(path), await onNunjucks.get(path)]
        expect(b.status, path).toBe(a.status)
        expect(essence(b.html), `${path}${logIn ? ' (logged in)' : ''}`).toEqual(essence(a.html))
      }
    }
  })
})
