import { type App, type Logger, Orm } from 'dovetailjs'
import { hashPassword, verifyPassword } from 'dovetailjs/components/middleware/auth'
import { type User, type WikiData, WikiDataOn } from './data/wiki-data.js'

/**
 * The admin's password when `WIKI_ADMIN_PASSWORD` is not set: for trying the
 * demo on your own machine only. The README says so, and the wiki logs a
 * warning at every start while the admin still has it.
 */
export const DEFAULT_ADMIN_PASSWORD = 'change-me-wiki-admin'
export const ADMIN_USERNAME = 'admin'

/** The pages a new wiki starts with. */
export const seedPages: ReadonlyArray<{ slug: string; title: string; body: string }> = [
  {
    slug: 'FrontPage',
    title: 'FrontPage',
    body: `# Welcome to the Dovetail Wiki

This is a small wiki in the spirit of [MoinMoin](https://moinmo.in/): every page is plain
Markdown, every save is kept, and anyone can see what changed.

* Read [[HelpContents]] to get started.
* Try out the syntax in the [[SandBox]].
* See what others did lately under **Recent changes**.

Log in to create and edit pages. A link to a page that does not exist yet, like
[[SomeNewPage]], is drawn in red: follow it to create the page.
`,
  },
  {
    slug: 'HelpContents',
    title: 'HelpContents',
    body: `# Help contents

* **Reading**: follow links; *All pages* lists every page, *Search* looks through titles and the
  current text of every page.
* **Editing**: log in, then use *Edit* on any page. Write a short comment: it shows in the
  history.
* **History**: every save is a new revision. The *History* of a page lists them; pick two and
  *Compare* to see the lines added and removed.
* **Markup**: see [[HelpOnMarkdown]].
`,
  },
  {
    slug: 'HelpOnMarkdown',
    title: 'HelpOnMarkdown',
    body: `# Help on Markdown

| you write | you get |
| --- | --- |
| \`*emphasis*\` | *emphasis* |
| \`**strong**\` | **strong** |
| \`[[FrontPage]]\` | a link to another page of the wiki |
| \`[[FrontPage|the start]]\` | the same link, with your own label |
| \`[a site](https://example.org)\` | a link to another site |
| \`# Title\`, \`## Section\` | headings |

Lists start with \`*\` or \`1.\`; code goes between backticks, or in a block fenced by three
of them. HTML is filtered: scripts, styles and \`javascript:\` links are removed.
`,
  },
  {
    slug: 'SandBox',
    title: 'SandBox',
    body: `# Sandbox

Play here: edit this page, save, and look at its history.
`,
  },
]

export interface SeedResult {
  /** Slugs of the pages created by this run (none when they all existed). */
  created: string[]
  admin: 'created' | 'password updated' | 'unchanged'
}

/**
 * Fill a new wiki: the admin account and the pages above. Safe to run at
 * every start: a page that exists (under its address or title) is never
 * touched, so what people wrote stays. The admin's password follows
 * `WIKI_ADMIN_PASSWORD` when it is set (set it and restart to change it);
 * without it, a new admin gets {@link DEFAULT_ADMIN_PASSWORD}.
 *
 * @example
 * const app = await createApp(createWikiConfig())
 * await app.resolve(Orm).migrate()
 * await seedWiki(app, { adminPassword: process.env.WIKI_ADMIN_PASSWORD })
 */
export async function seedWiki(app: App, options: { adminPassword?: string | undefined; logger?: Logger } = {}): Promise<SeedResult> {
  const logger = options.logger ?? app.logger
  // A unit of work of its own, in one transaction: on the orm contract, whichever ORM the config has.
  const work = app.resolve(Orm).fork()
  const data = app.resolve(WikiDataOn)(work)
  await work.begin()
  try {
    const { admin, state } = await ensureAdmin(data, options.adminPassword)
    if (!options.adminPassword && (await verifyPassword(DEFAULT_ADMIN_PASSWORD, admin.passwordHash))) {
      logger.warn(
        { username: admin.username },
        `The wiki's '${admin.username}' account has the demo password from the README. Set WIKI_ADMIN_PASSWORD and restart to change it before anyone else can reach this wiki.`,
      )
    }
    const created: string[] = []
    for (const seed of seedPages) {
      if (await data.clash(seed.slug, seed.title)) continue
      await data.createPage(seed.slug, seed.title, { body: seed.body, comment: 'Page created with the wiki', author: admin })
      created.push(seed.slug)
    }
    await work.commit()
    return { created, admin: state }
  } catch (error) {
    await work.rollback()
    throw error
  }
}

async function ensureAdmin(data: WikiData, password: string | undefined): Promise<{ admin: User; state: SeedResult['admin'] }> {
  const existing = await data.userByName(ADMIN_USERNAME)
  if (!existing) {
    const admin = await data.createUser({ username: ADMIN_USERNAME, passwordHash: await hashPassword(password ?? DEFAULT_ADMIN_PASSWORD), isAdmin: true })
    return { admin, state: 'created' }
  }
  if (password && !(await verifyPassword(password, existing.passwordHash))) {
    const passwordHash = await hashPassword(password)
    await data.setPasswordHash(existing, passwordHash)
    return { admin: { ...existing, passwordHash }, state: 'password updated' }
  }
  return { admin: existing, state: 'unchanged' }
}
