import { type Edit, likeEscaped, type Page, type Revision, WikiData } from '../data/wiki-data.js'

export type { Edit } from '../data/wiki-data.js'

/** A search hit: the page and the latest text it was found in. */
export interface SearchHit {
  revision: Revision
  /** Where in the text the words are, or the start of the text when only the title matched. */
  excerpt: { before: string; match: string; after: string }
}

/**
 * The wiki's pages and revisions, on this request's data (`WikiData`, on
 * either ORM). Controllers get it by constructor injection; it commits
 * nothing itself: the transaction middleware commits a POST that succeeds.
 */
export class PageService {
  static readonly inject = [WikiData] as const
  readonly #data: WikiData

  constructor(data: WikiData) {
    this.#data = data
  }

  findPage(slug: string): Promise<Page | undefined> {
    return this.#data.findPage(slug)
  }

  /** The page's newest revision, with its author. */
  latest(page: Page): Promise<Revision | undefined> {
    return this.#data.latest(page)
  }

  revision(page: Page, number: number): Promise<Revision | undefined> {
    return this.#data.revision(page, number)
  }

  /** Every revision of a page, newest first. */
  history(page: Page): Promise<Revision[]> {
    return this.#data.history(page)
  }

  /** The newest revision of every page, by title. */
  allPages(): Promise<Revision[]> {
    return this.#data.latestRevisions()
  }

  /** The latest saves across the wiki, newest first. */
  recentChanges(limit = 30): Promise<Revision[]> {
    return this.#data.recentChanges(limit)
  }

  /** Which of these addresses are pages: links to the others are drawn as missing. */
  existing(slugs: readonly string[]): Promise<Set<string>> {
    return this.#data.existing(slugs)
  }

  /** Whether a page already has this address or this title (both are unique). */
  async taken(slug: string, title: string): Promise<'slug' | 'title' | undefined> {
    const clash = await this.#data.clash(slug, title)
    if (!clash) return undefined
    return clash.slug === slug ? 'slug' : 'title'
  }

  /** A new page with its first revision. */
  create(slug: string, title: string, edit: Edit): Promise<void> {
    return this.#data.createPage(slug, title, edit)
  }

  /**
   * Save a new revision on top of revision `base`, the one the author
   * started from. If someone else saved in between, nothing is written and
   * their revision comes back, so the author can merge instead of silently
   * overwriting it.
   */
  async save(page: Page, base: number, edit: Edit): Promise<{ saved: { number: number } } | { conflict: Revision }> {
    const latest = await this.latest(page)
    if (latest && latest.number !== base) return { conflict: latest }
    const number = (latest?.number ?? 0) + 1
    await this.#data.addRevision(page, number, edit)
    return { saved: { number } }
  }

  /**
   * Pages whose title or newest text contains `query`, case-insensitively
   * (a `LIKE` with the wildcards in the query escaped, so `100%` means the
   * characters "100%"). Good for a small wiki; a big one wants the
   * database's full-text search.
   */
  async search(query: string, limit = 50): Promise<SearchHit[]> {
    const needle = query.trim().toLowerCase()
    if (!needle) return []
    const revisions = await this.#data.latestRevisions({ matching: `%${likeEscaped(needle)}%`, limit })
    return revisions.map((revision) => ({ revision, excerpt: excerptOf(revision.body, needle) }))
  }
}

/** About 80 characters of context on each side of the first match, on whitespace boundaries. */
function excerptOf(body: string, needle: string): SearchHit['excerpt'] {
  const at = body.toLowerCase().indexOf(needle)
  if (at < 0) return { before: '', match: '', after: clip(body, 160) }
  const start = Math.max(0, body.lastIndexOf(' ', Math.max(0, at - 80)))
  const end = at + needle.length
  return {
    before: (start > 0 ? '…' : '') + body.slice(start, at).trimStart(),
    match: body.slice(at, end),
    after: clip(body.slice(end), 80),
  }
}

const clip = (text: string, length: number): string => (text.length <= length ? text : `${text.slice(0, text.lastIndexOf(' ', length) > 0 ? text.lastIndexOf(' ', length) : length)}…`)
