/**
 * A mixed load on the wiki, as a few people would make it: each virtual user
 * logs in once, then reads pages (logged in, and anonymously, which the page
 * cache serves), edits its own pages, creates pages, looks at the recent
 * changes, and now and then someone new logs in. After each acknowledged write
 * an anonymous reader must see it, whichever host answers. Every request is
 * recorded (when it started and ended, its status, which upstream hosts nginx
 * tried) and every acknowledged write (a 303 after a save or a create) is kept,
 * to be looked for in the database afterwards.
 */
import { ADMIN_PASSWORD } from '../../docs/examples/wiki/test/wiki.case.js'
import { type Page, WikiBrowser } from '../../docs/examples/wiki/test/wiki-browser.js'

/** The response header the test's nginx adds: `$upstream_addr`, every host tried for the request, in order. */
export const UPSTREAM_HEADER = 'x-upstream'

export interface SentRequest {
  user: number
  method: string
  path: string
  /** ms since the load began */
  started: number
  ended: number
  /** The status, or `network error` when nginx itself did not answer. */
  status: number | 'network error'
  /** The hosts nginx tried (`address:port`), the one that answered last. */
  upstreams: string[]
}

/** A write the wiki acknowledged (303): this text must be a revision of this page. */
export interface AcknowledgedWrite {
  slug: string
  body: string
  at: number
}

/** What a user saw that a working site never shows (a lost login, a conflict on its own page): a failure whatever the host. */
export interface Surprise {
  user: number
  what: string
  request: string
}

const LOGGED_IN = 'Logged in as <strong>admin</strong>'

/** A deterministic random sequence (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

class RequestFailed extends Error {}

export class WikiLoad {
  readonly sent: SentRequest[] = []
  readonly acknowledged: AcknowledgedWrite[] = []
  readonly surprises: Surprise[] = []
  readonly #origin: string
  readonly #began = performance.now()
  /** Every page any user made, and the seeded ones: what readers pick from. */
  readonly #slugs = ['FrontPage', 'HelpContents', 'HelpOnMarkdown', 'SandBox']
  #stopped = false

  constructor(origin: string) {
    this.#origin = origin
  }

  /** ms since the load began. */
  now(): number {
    return performance.now() - this.#began
  }

  /**
   * Run `users` virtual users until {@link stop}; resolves when every user's
   * last request has ended. Throws only for a fault of the test itself.
   */
  async run(users: number, seed: number): Promise<void> {
    await Promise.all(Array.from({ length: users }, (_, user) => this.#user(user, random(seed + user))))
  }

  stop(): void {
    this.#stopped = true
  }

  #browser(user: number): WikiBrowser {
    return new WikiBrowser(async (request) => {
      const record: SentRequest = { user, method: request.method, path: new URL(request.url).pathname, started: this.now(), ended: 0, status: 'network error', upstreams: [] }
      this.sent.push(record)
      try {
        const response = await fetch(request, { redirect: 'manual' })
        record.status = response.status
        record.upstreams = (response.headers.get(UPSTREAM_HEADER) ?? '').split(/\s*,\s*/).filter(Boolean)
        return response
      } finally {
        record.ended = this.now()
      }
    }, this.#origin)
  }

  /** A request whose status must be `expected`; a 5xx or no answer ends this step (counted as a failed request), anything else is a surprise. */
  async #expect(user: number, request: Promise<Page>, expected: number, label: string): Promise<Page> {
    const page = await request.catch(() => undefined)
    if (!page || page.status >= 500) throw new RequestFailed(label)
    if (page.status !== expected) {
      this.surprises.push({ user, what: `${page.status}${page.location ? ` to ${page.location}` : ''} instead of ${expected}`, request: label })
      throw new RequestFailed(label)
    }
    return page
  }

  async #logIn(user: number, browser: WikiBrowser): Promise<void> {
    await this.#expect(user, browser.get('/login'), 200, 'GET /login')
    await this.#expect(user, browser.submit('/login', { username: 'admin', password: ADMIN_PASSWORD, next: '/' }), 303, 'POST /login')
  }

  /** A page a logged-in user reads must show the login, whichever host rendered it. */
  #checkLoggedIn(user: number, page: Page, label: string): void {
    if (!page.html.includes(LOGGED_IN)) this.surprises.push({ user, what: 'the page did not show the login', request: label })
  }

  async #user(user: number, pick: () => number): Promise<void> {
    const browser = this.#browser(user)
    const own: string[] = []
    let writes = 0
    const body = () => `Written by user ${user}, write ${++writes}.`

    // Logged in before anything else; retried, since the host killed mid-load may have taken the first try.
    while (!this.#stopped) {
      try {
        await this.#logIn(user, browser)
        break
      } catch (error) {
        if (!(error instanceof RequestFailed)) throw error
      }
    }

    // Anonymous readers get pages from the shared cache: after a write was acknowledged, whichever host
    // answers must show it (the cache entry made before it, on any host, was cleared).
    const anonymous = this.#browser(user)
    const readAnonymously = async (slug: string, mustShow?: string) => {
      const page = await this.#expect(user, anonymous.get(`/pages/${slug}`), 200, `GET /pages/${slug} (anonymous)`)
      if (mustShow !== undefined && !page.html.includes(mustShow)) {
        this.surprises.push({ user, what: `a stale page: "${mustShow}" was acknowledged, the page does not show it`, request: `GET /pages/${slug} (anonymous)` })
      }
    }

    const create = async () => {
      const slug = `U${user}P${own.length + 1}x${Math.floor(pick() * 1e6)}`
      await this.#expect(user, browser.get('/new'), 200, 'GET /new')
      const text = body()
      await this.#expect(user, browser.submit('/pages', { title: slug, slug, body: text, comment: '' }), 303, 'POST /pages')
      this.acknowledged.push({ slug, body: text, at: this.now() })
      own.push(slug)
      this.#slugs.push(slug)
      await readAnonymously(slug, text)
    }
    const edit = async () => {
      const slug = own[Math.floor(pick() * own.length)]!
      // Cached now, by whichever host answers.
      await readAnonymously(slug)
      // The form carries the revision it starts from: read afresh each time, as a browser would.
      const form = await this.#expect(user, browser.get(`/pages/${slug}/edit`), 200, `GET /pages/${slug}/edit`)
      const base = /name="base" value="(\d+)"/.exec(form.html)?.[1]
      if (!base) throw new Error(`the edit form of ${slug} has no base revision:\n${form.html}`)
      const text = body()
      await this.#expect(user, browser.submit(`/pages/${slug}`, { base, body: text, comment: '' }), 303, `POST /pages/${slug}`)
      this.acknowledged.push({ slug, body: text, at: this.now() })
      await readAnonymously(slug, text)
    }
    const read = async () => {
      const slug = this.#slugs[Math.floor(pick() * this.#slugs.length)]!
      if (pick() < 0.5) return readAnonymously(slug)
      const page = await this.#expect(user, browser.get(`/pages/${slug}`), 200, `GET /pages/${slug}`)
      this.#checkLoggedIn(user, page, `GET /pages/${slug}`)
    }
    const changes = async () => {
      const page = await this.#expect(user, browser.get('/changes'), 200, 'GET /changes')
      this.#checkLoggedIn(user, page, 'GET /changes')
    }
    // Someone new: a login (a scrypt hash on whichever host), then a page that must show it.
    const newcomer = async () => {
      const other = this.#browser(user)
      await this.#logIn(user, other)
      const page = await this.#expect(user, other.get('/pages/FrontPage'), 200, 'GET /pages/FrontPage (after logging in)')
      this.#checkLoggedIn(user, page, 'GET /pages/FrontPage (after logging in)')
    }

    while (!this.#stopped) {
      const roll = pick()
      try {
        if (!own.length || roll < 0.08) await create()
        else if (roll < 0.3) await edit()
        else if (roll < 0.85) await read()
        else if (roll < 0.95) await changes()
        else await newcomer()
      } catch (error) {
        if (!(error instanceof RequestFailed)) throw error
      }
    }
  }
}
