import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, Orm } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { MikroOrm, mikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { createWikiConfig, type WikiSettings } from '../app.js'
import { seedWiki } from '../seed.js'
import { visibleText, WikiBrowser } from './wiki-browser.js'

export const ADMIN_PASSWORD = 'test-admin-password-123'
export const SESSION_SECRET = 'a-test-session-secret-of-at-least-32-characters'

export interface WikiCaseOptions {
  /** Shown in the suite's name. */
  name: string
  settings: WikiSettings
  /** Change the config the way an app would (another container, say). */
  edit?: (config: DovetailConfig) => DovetailConfig
  /**
   * PostgreSQL: the database is shared with other suites (and other runs of
   * this one), so the wiki gets a schema of its own (`settings.databaseSchema`),
   * created before the suite and dropped with everything in it afterwards.
   */
  ownSchema?: boolean
  /**
   * Also check login throttling. It costs ten scrypt hashes (seconds of CPU)
   * and does not depend on templates, container or database, so one
   * configuration runs it.
   */
  throttling?: boolean
}

/** Make the PostgreSQL schema before the wiki starts: its session store creates a table there at startup. */
async function createSchema(settings: WikiSettings): Promise<void> {
  const admin = await createApp({ environment: 'test', components: { orm: mikroOrm({ url: settings.databaseUrl! }) } })
  try {
    await admin.resolve(Orm).execute(`create schema ${settings.databaseSchema}`)
  } finally {
    await admin.close()
  }
}

/** The wiki's config for a test: quiet logs (errors only), a known session secret. */
export function testWikiConfig(settings: WikiSettings): DovetailConfig {
  const config = createWikiConfig({ environment: 'test', sessionSecret: SESSION_SECRET, ...settings })
  return { ...config, components: { ...config.components, logger: pinoLogger({ level: 'error', destination: 'stderr' }) } }
}

/**
 * The wiki's behaviour, one suite run by wiki.test.ts in every configuration
 * it ships with (templates, containers, databases): the same requests must
 * give the same pages.
 */
export function runWikiCase({ name, settings, edit = (c) => c, ownSchema = false, throttling = false }: WikiCaseOptions): void {
  describe(`the wiki (${name})`, () => {
    let app: App
    let admin: WikiBrowser

    const revisionCount = async (slug: string): Promise<number> => {
      const rows = await app.resolve(Orm).execute<{ n: number | string }>(
        'select count(*) as n from wiki_revision r join wiki_page p on p.id = r.page_id where p.slug = ?',
        [slug],
      )
      return Number(rows[0]!.n)
    }

    const logIn = async (browser: WikiBrowser, password = ADMIN_PASSWORD) => {
      await browser.get('/login')
      return browser.submit('/login', { username: 'admin', password, next: '/' })
    }

    /**
     * A page of the case's own, written by the admin as the editing case writes TeaBrewing: created, then
     * edited twice, so it has three revisions and "three minutes" is no longer in its text but "milk" is.
     * Each case that needs one passes its own title, so none depends on another case having run first.
     * Returns the page's address.
     */
    const brewTea = async (title: string): Promise<string> => {
      const created = await admin.fill('/new', '/pages', { title, slug: '', body: '# Tea\n\nBoil the water.\nWait three minutes.\n', comment: 'first notes' })
      expect(created.status).toBe(303)
      const slug = created.location!.replace(/^\/pages\//, '')
      const edits = [
        ['1', '# Tea\n\nBoil the water.\nWait four minutes.\n'],
        ['2', '# Tea\n\nBoil the water.\nWait four minutes.\nAdd milk if you must.\n'],
      ] as const
      for (const [base, body] of edits) expect((await admin.fill(`/pages/${slug}/edit`, `/pages/${slug}`, { base, body, comment: '' })).status).toBe(303)
      return slug
    }

    beforeAll(async () => {
      if (ownSchema) await createSchema(settings)
      app = await createApp(edit(testWikiConfig(settings)))
      await app.resolve(MikroOrm).migrate()
      await seedWiki(app, { adminPassword: ADMIN_PASSWORD })
      admin = WikiBrowser.of(app)
      expect((await logIn(admin)).status).toBe(303)
    })

    afterAll(async () => {
      if (app && ownSchema) await app.resolve(Orm).execute(`drop schema ${settings.databaseSchema} cascade`)
      await app?.close()
    })

    it('opens on the seeded FrontPage, with its stylesheet and working wiki links', async () => {
      const visitor = WikiBrowser.of(app)
      const front = await visitor.get('/')
      expect(front.status).toBe(200)
      expect(front.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(front.html).toContain('<h1>Welcome to the Dovetail Wiki</h1>')
      expect(front.html).toContain('<a class="wikilink" href="/pages/HelpContents">HelpContents</a>')
      expect(front.html).toMatch(/<a class="wikilink missing" href="\/pages\/SomeNewPage"[^>]*>SomeNewPage<\/a>/)
      expect(front.html).toContain('<link rel="stylesheet" href="/static/wiki.css">')
      // An anonymous reader gets no session (nothing on the page needed one).
      expect(front.headers.get('set-cookie')).toBeNull()
      const css = await visitor.get('/static/wiki.css')
      expect(css.status).toBe(200)
      expect(css.headers.get('content-type')).toMatch(/^text\/css/)
      expect(css.html).toContain('pre.diff ins')
      const list = await visitor.get('/pages')
      for (const slug of ['FrontPage', 'HelpContents', 'HelpOnMarkdown', 'SandBox']) expect(list.html).toContain(`href="/pages/${slug}"`)
    })

    it('creates a page, edits it twice, and keeps three revisions with a diff between any two', async () => {
      const created = await admin.fill('/new', '/pages', {
        title: 'Tea Brewing',
        slug: '',
        body: '# Tea\n\nBoil the water.\nWait three minutes.\n',
        comment: 'first notes',
      })
      expect(created.status).toBe(303)
      expect(created.location).toBe('/pages/TeaBrewing')
      let page = await admin.get('/pages/TeaBrewing')
      expect(page.status).toBe(200)
      expect(page.html).toContain('Created “Tea Brewing”.')
      expect(page.html).toContain('<h1>Tea</h1>')

      const firstEdit = await admin.fill('/pages/TeaBrewing/edit', '/pages/TeaBrewing', {
        base: '1',
        body: '# Tea\n\nBoil the water.\nWait four minutes.\n',
        comment: 'longer',
      })
      expect(firstEdit.status).toBe(303)
      const secondEdit = await admin.fill('/pages/TeaBrewing/edit', '/pages/TeaBrewing', {
        base: '2',
        body: '# Tea\n\nBoil the water.\nWait four minutes.\nAdd milk if you must.\n',
        comment: 'milk',
      })
      expect(secondEdit.status).toBe(303)
      expect(await revisionCount('TeaBrewing')).toBe(3)

      page = await admin.get('/pages/TeaBrewing')
      expect(page.html).toContain('Add milk if you must.')
      expect(visibleText(page.html)).toContain('Revision 3, saved by admin')

      const history = await admin.get('/pages/TeaBrewing/history')
      expect(history.status).toBe(200)
      const listed = [...history.html.matchAll(/href="\/pages\/TeaBrewing\/revisions\/(\d+)">#\d+</g)].map((m) => m[1])
      expect(listed).toEqual(['3', '2', '1'])
      expect(visibleText(history.html)).toMatch(/#2 .* admin longer/)

      const diff = await admin.get('/pages/TeaBrewing/diff?from=1&to=3')
      expect(diff.status).toBe(200)
      expect(diff.html).toContain('<del>- Wait three minutes.</del>')
      expect(diff.html).toContain('<ins>+ Wait four minutes.</ins>')
      expect(diff.html).toContain('<ins>+ Add milk if you must.</ins>')
      expect(diff.html).toContain('<span class="same">  Boil the water.</span>')
      expect(visibleText(diff.html)).toContain('2 lines added, 1 removed')
      // Picked the other way round, the diff still runs from the older to the newer revision.
      expect((await admin.get('/pages/TeaBrewing/diff?from=3&to=1')).html).toContain('<del>- Wait three minutes.</del>')
      const latestTwo = await admin.get('/pages/TeaBrewing/diff')
      expect(latestTwo.html).toContain('<ins>+ Add milk if you must.</ins>')
      expect(latestTwo.html).not.toContain('three minutes')

      const old = await admin.get('/pages/TeaBrewing/revisions/1')
      expect(old.status).toBe(200)
      expect(old.html).toContain('Wait three minutes.')
      expect(old.html).toContain('This is an old revision (1 of 3)')
      expect((await admin.get('/pages/TeaBrewing/revisions/9')).status).toBe(404)
      expect((await admin.get('/pages/TeaBrewing/diff?from=1&to=9')).status).toBe(404)

      const changes = await admin.get('/changes')
      expect(changes.html).toContain('href="/pages/TeaBrewing/diff?from=2&amp;to=3"')
    })

    it('finds pages by title and by their current text, case-insensitively, with LIKE wildcards taken literally', async () => {
      const tea = await brewTea('Tea Brewing Guide')
      await admin.fill('/new', '/pages', { title: 'Discounts', slug: '', body: 'Everything is 100% off on Sundays.\nold_price stays.\n', comment: '' })
      const byTitle = await admin.get('/search?q=tea%20BREWING')
      expect(byTitle.status).toBe(200)
      expect(byTitle.html).toContain(`href="/pages/${tea}"`)
      const byBody = await admin.get('/search?q=MILK')
      expect(byBody.html).toContain(`href="/pages/${tea}"`)
      expect(byBody.html).toContain('<mark>milk</mark>')
      expect(byBody.html).not.toContain('href="/pages/Discounts"')
      // Only the newest text counts: "three minutes" was edited away.
      expect((await admin.get('/search?q=three%20minutes')).html).toContain('No page mentions')
      expect((await admin.get('/search?q=100%25')).html).toContain('href="/pages/Discounts"')
      const percent = await admin.get('/search?q=%25')
      expect(percent.html).toContain('href="/pages/Discounts"')
      expect(percent.html).not.toContain(`href="/pages/${tea}"`)
      // `_` is one character, not any: "Sun_ays" is not "Sundays".
      const underscore = await admin.get('/search?q=Sun_ays')
      expect(underscore.html).toContain('No page mentions')
      expect((await admin.get('/search?q=old_price')).html).toContain('href="/pages/Discounts"')
      expect((await admin.get('/search?q=nothing-like-this-anywhere')).html).toContain('No page mentions “nothing-like-this-anywhere”')
    })

    it('answers a missing page with 404 and a link to create it', async () => {
      const missing = await WikiBrowser.of(app).get('/pages/NoSuchPage')
      expect(missing.status).toBe(404)
      expect(missing.html).toContain('This page does not exist yet.')
      expect(missing.html).toContain('href="/new?slug=NoSuchPage"')
      const form = await admin.get('/new?slug=NoSuchPage')
      expect(form.status).toBe(200)
      expect(form.html).toContain('name="slug" value="NoSuchPage"')
      expect((await admin.get('/pages/NoSuchPage/history')).status).toBe(404)
    })

    it('sanitises the Markdown: no scripts, event handlers or javascript: links reach the page', async () => {
      const body = [
        'Hello <script>alert("x")</script> world',
        '[click](javascript:alert(1)) and [also](JaVaScRiPt:alert(2))',
        '<a href="javascript:alert(3)" onclick="alert(4)">raw link</a>',
        '<img src="https://example.org/i.png" onerror="alert(5)">',
        '<iframe src="https://example.org"></iframe>',
        '[fine](https://example.org/ok)',
      ].join('\n\n')
      expect((await admin.fill('/new', '/pages', { title: 'Xss Attempt', slug: 'XssAttempt', body, comment: '<b>bold</b>' })).status).toBe(303)
      const page = await WikiBrowser.of(app).get('/pages/XssAttempt')
      expect(page.status).toBe(200)
      const article = /<article class="content">([\s\S]*?)<\/article>/.exec(page.html)![1]!
      expect(article).not.toMatch(/<script/i)
      expect(article).not.toMatch(/javascript:/i)
      expect(article).not.toMatch(/onclick|onerror/i)
      expect(article).not.toMatch(/<iframe/i)
      expect(article).toContain('Hello  world')
      expect(article).toContain('<a href="https://example.org/ok" rel="nofollow noopener noreferrer">fine</a>')
      // The comment is text, escaped where it shows.
      expect(page.html).toContain('“&lt;b&gt;bold&lt;/b&gt;”')
      // In a diff, the raw Markdown shows as text.
      await admin.fill('/pages/XssAttempt/edit', '/pages/XssAttempt', { base: '1', body: `${body}\n\n<script>more()</script>`, comment: '' })
      const diff = await admin.get('/pages/XssAttempt/diff')
      expect(diff.html).toContain('<ins>+ &lt;script&gt;more()&lt;/script&gt;</ins>')
      expect(diff.html).not.toContain('<script>')
    })

    it('lets only logged-in users create and edit: others are sent to the login page and nothing is saved', async () => {
      // The SandBox is everyone's: another case may have saved a revision of it before this one runs.
      const before = await revisionCount('SandBox')
      const visitor = WikiBrowser.of(app)
      const form = await visitor.get('/pages/SandBox/edit')
      expect(form.status).toBe(303)
      expect(form.location).toBe('/login?next=%2Fpages%2FSandBox%2Fedit')
      expect((await visitor.get('/new')).location).toBe('/login?next=%2Fnew')
      // With a valid CSRF token of its own session, a visitor's POST is still refused.
      await visitor.get('/login')
      const save = await visitor.submit('/pages/SandBox', { base: '1', body: 'vandalised', comment: '' })
      expect(save.status).toBe(303)
      expect(save.location).toMatch(/^\/login\?next=/)
      const create = await visitor.submit('/pages', { title: 'Spam', slug: '', body: 'spam', comment: '' })
      expect(create.status).toBe(303)
      expect(await revisionCount('SandBox')).toBe(before)
      expect(await revisionCount('Spam')).toBe(0)
    })

    // Four logins, each an scrypt hash. Budget: 3x the slowest measured with one core busy on the shared
    // 2-core machine, 7.3 s (docs/testing.md).
    it('logs in with the right password only, and back to where the visitor was going', { timeout: 25_000 }, async () => {
      const visitor = WikiBrowser.of(app)
      await visitor.get('/login?next=/pages/SandBox/edit')
      const wrong = await visitor.submit('/login', { username: 'admin', password: 'not the password', next: '/pages/SandBox/edit' })
      expect(wrong.status).toBe(401)
      expect(wrong.html).toContain('Wrong username or password.')
      const nobody = await visitor.submit('/login', { username: 'nobody', password: ADMIN_PASSWORD, next: '' })
      expect(nobody.status).toBe(401)
      const right = await visitor.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '/pages/SandBox/edit' })
      expect(right.status).toBe(303)
      expect(right.location).toBe('/pages/SandBox/edit')
      const editForm = await visitor.get('/pages/SandBox/edit')
      expect(editForm.status).toBe(200)
      expect(editForm.html).toContain('Logged in as <strong>admin</strong>')
      // After a login only paths of this site are followed: no open redirect.
      await visitor.get('/login')
      const offsite = await visitor.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '//evil.example/' })
      expect(offsite.location).toBe('/')
    })

    // Budget: 3x the slowest measured with one core busy on the shared 2-core machine, 13.1 s (docs/testing.md).
    it.runIf(throttling)('slows down password guessing: after ten failures for one account, 429 without checking the password', { timeout: 40_000 }, async () => {
      const guesser = WikiBrowser.of(app)
      await guesser.get('/login')
      for (let i = 0; i < 10; i++) expect((await guesser.submit('/login', { username: 'mallory', password: `guess ${i}`, next: '' })).status).toBe(401)
      const locked = await guesser.submit('/login', { username: 'mallory', password: 'guess 10', next: '' })
      expect(locked.status).toBe(429)
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(locked.html).toContain('Too many failed sign-in attempts')
      expect(locked.html).toContain('<form class="stacked login"')
    })

    it('logs in, edits, logs out; then an edit is refused', async () => {
      const user = WikiBrowser.of(app)
      await logIn(user)
      expect((await user.fill('/pages/SandBox/edit', '/pages/SandBox', { base: '1', body: 'Edited while logged in.', comment: '' })).status).toBe(303)
      expect(await revisionCount('SandBox')).toBe(2)
      await user.get('/pages/SandBox')
      const loggedInCookie = user.cookies.get('sid')!
      const loggedOut = await user.submit('/logout', {})
      expect(loggedOut.status).toBe(303)
      // The session is destroyed in the store: its cookie, kept by someone, logs nobody in.
      expect(user.cookies.get('sid')).not.toBe(loggedInCookie)
      const replay = WikiBrowser.of(app)
      replay.cookies.set('sid', loggedInCookie)
      expect((await replay.get('/pages/SandBox/edit')).status).toBe(303)
      const after = await user.get('/')
      expect(after.html).toContain('You are logged out.')
      expect(after.html).toContain('href="/login"')
      // The edit form's token belonged to the session that ended: refused outright.
      const stale = await user.submit('/pages/SandBox', { base: '2', body: 'Edited after logging out.', comment: '' })
      expect(stale.status).toBe(403)
      // With a token of the new, anonymous session: sent to the login page.
      await user.get('/login')
      const refused = await user.submit('/pages/SandBox', { base: '2', body: 'Edited after logging out.', comment: '' })
      expect(refused.status).toBe(303)
      expect(refused.location).toMatch(/^\/login/)
      expect(await revisionCount('SandBox')).toBe(2)
    })

    it('refuses a form without its CSRF token (403) and changes nothing', async () => {
      const before = await revisionCount('HelpContents')
      await admin.get('/pages/HelpContents/edit')
      const missing = await admin.submit('/pages/HelpContents', { base: String(before), body: 'forged', comment: '' }, { csrf: false })
      expect(missing.status).toBe(403)
      const other = WikiBrowser.of(app)
      await other.get('/login')
      const foreign = await admin.submit('/pages/HelpContents', { base: String(before), body: 'forged', comment: '' }, { csrf: other.csrfToken! })
      expect(foreign.status).toBe(403)
      const created = await admin.submit('/pages', { title: 'Forged Page', slug: '', body: 'forged', comment: '' }, { csrf: false })
      expect(created.status).toBe(403)
      expect(await revisionCount('HelpContents')).toBe(before)
      expect(await revisionCount('ForgedPage')).toBe(0)
      // And the logout form is no exception: a cross-site page cannot log anyone out.
      expect((await admin.submit('/logout', {}, { csrf: false })).status).toBe(403)
      expect((await admin.get('/pages/HelpContents/edit')).status).toBe(200)
    })

    it('ignores a tampered session cookie', async () => {
      const user = WikiBrowser.of(app)
      await logIn(user)
      const cookie = user.cookies.get('sid')!
      expect((await user.get('/pages/SandBox/edit')).status).toBe(200)
      const [id, mac] = [cookie.slice(0, cookie.lastIndexOf('.')), cookie.slice(cookie.lastIndexOf('.') + 1)]
      // One character changed in the middle (where every bit counts in base64), so the change is never a no-op.
      const flip = (text: string) => {
        const at = Math.floor(text.length / 2)
        return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1)
      }
      for (const tampered of [`${flip(id)}.${mac}`, `${id}.${flip(mac)}`, `${id}`, `${id}.`, 'forged.value']) {
        user.cookies.set('sid', tampered)
        const form = await user.get('/pages/SandBox/edit')
        expect(form.status, tampered).toBe(303)
        expect(form.location).toMatch(/^\/login/)
      }
      user.cookies.set('sid', cookie)
      expect((await user.get('/pages/SandBox/edit')).status).toBe(200)
    })

    it('keeps a concurrent edit from overwriting another: the second save from the same base is a conflict', async () => {
      const base = String(await revisionCount('HelpOnMarkdown'))
      const first = await admin.fill('/pages/HelpOnMarkdown/edit', '/pages/HelpOnMarkdown', { base, body: 'first writer', comment: '' })
      expect(first.status).toBe(303)
      const second = await admin.fill('/pages/HelpOnMarkdown/edit', '/pages/HelpOnMarkdown', { base, body: 'second writer', comment: '' })
      expect(second.status).toBe(409)
      expect(second.html).toContain('While you were editing, admin saved revision')
      expect(second.html).toContain('second writer</textarea>')
      expect(await revisionCount('HelpOnMarkdown')).toBe(Number(base) + 1)
    })

    it('refuses a second page with the same address or title', async () => {
      const tea = await brewTea('Tea Tasting')
      const again = await admin.fill('/new', '/pages', { title: 'Tea Tasting', slug: `${tea}2`, body: 'x', comment: '' })
      expect(again.status).toBe(409)
      expect(again.html).toContain('There already is a page titled “Tea Tasting”')
      const sameSlug = await admin.fill('/new', '/pages', { title: 'Another', slug: tea, body: 'x', comment: '' })
      expect(sameSlug.status).toBe(409)
      const badSlug = await admin.fill('/new', '/pages', { title: 'Odd', slug: '../etc', body: 'x', comment: '' })
      expect(badSlug.status).toBe(422)
      expect(await revisionCount(tea)).toBe(3)
    })

    it('serves anonymous readers a stored page, and the new text as soon as it is edited', async () => {
      const slug = await brewTea('Cached Tea')
      const reader = WikiBrowser.of(app)
      const first = await reader.get(`/pages/${slug}`)
      expect(first.html).toContain('Add milk if you must.')
      const second = await reader.get(`/pages/${slug}`)
      expect(second.headers.get('cache-status')).toBe('dovetail; hit')
      expect(second.html).toBe(first.html)
      expect((await reader.get(`/pages/${slug}`)).headers.get('etag')).toBe(first.headers.get('etag'))

      expect((await admin.fill(`/pages/${slug}/edit`, `/pages/${slug}`, { base: '3', body: '# Tea\n\nNow with lemon.\n', comment: '' })).status).toBe(303)
      const edited = await reader.get(`/pages/${slug}`)
      expect(edited.html).toContain('Now with lemon.')
      expect(edited.html).not.toContain('milk')
      expect(edited.headers.get('etag')).not.toBe(first.headers.get('etag'))
    })

    it('shows a link on a stored page as existing once the page it names is created', async () => {
      const target = `Brand${Date.now()}`
      const slug = await brewTea(`Linking Tea ${target}`)
      expect((await admin.fill(`/pages/${slug}/edit`, `/pages/${slug}`, { base: '3', body: `See [[${target}]].`, comment: '' })).status).toBe(303)
      const reader = WikiBrowser.of(app)
      expect((await reader.get(`/pages/${slug}`)).html).toContain(`class="wikilink missing" href="/pages/${target}"`)
      expect((await reader.get(`/pages/${slug}`)).headers.get('cache-status')).toBe('dovetail; hit')
      expect((await admin.fill('/new', '/pages', { title: target, slug: target, body: 'Here now.', comment: '' })).status).toBe(303)
      expect((await reader.get(`/pages/${slug}`)).html).toContain(`<a class="wikilink" href="/pages/${target}">`)
    })

    it("never shows a logged-in reader's page to another, nor a stored page to a logged-in reader", async () => {
      // The admin reads first: the page has their name and the logout form's CSRF token.
      const own = await admin.get('/pages/HelpContents')
      expect(own.html).toContain('Logged in as <strong>admin</strong>')
      const token = /name="_csrf" value="([^"]+)"/.exec(own.html)![1]!
      const reader = WikiBrowser.of(app)
      for (let i = 0; i < 2; i++) {
        const anonymous = await reader.get('/pages/HelpContents')
        expect(anonymous.html).not.toContain('Logged in as')
        expect(anonymous.html).not.toContain(token)
        expect(anonymous.html).not.toContain('name="_csrf"')
        expect(anonymous.headers.get('set-cookie')).toBeNull()
      }
      // Now that an anonymous rendering is stored, the admin still gets their own page.
      const again = await admin.get('/pages/HelpContents')
      expect(again.headers.get('cache-status')).toBe('dovetail; fwd=bypass')
      expect(again.html).toContain('Logged in as <strong>admin</strong>')
      expect(again.html).toContain('name="_csrf"')
    })
  })
}
