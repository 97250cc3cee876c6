import type { SqlEntityManager } from '@mikro-orm/knex'
import { Em } from 'dovetailjs/components/orm/mikro-orm'
import { Page, Revision, type User } from '../models/index.js'

/** What an author sends when saving a page. */
export interface Edit {
  body: string
  comment: string
  author: User
}

/** A search hit: the page and the latest text it was found in. */
export interface SearchHit {
  revision: Revision
  /** Where in the text the words are, or the start of the text when only the title matched. */
  excerpt: { before: string; match: string; after: string }
}

/** The newest revision of every page: revision ids only grow, so the newest is the highest id per page. */
const latestIds = 'select max(id) from wiki_revision group by page_id'

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '!'` (the same in SQLite, PostgreSQL and MySQL). */
const likeEscaped = (text: string): string => text.replace(/[!%_]/g, (c) => `!${c}`)

/**
 * The wiki's pages and revisions, on this request's unit of work (`Em`).
 * Controllers get it by constructor injection; it writes nothing itself:
 * the transaction middleware flushes and commits a POST that succeeds.
 */
export class PageService {
  static readonly inject = [Em] as const
  readonly #em: SqlEntityManager

  constructor(em: SqlEntityManager) {
    this.#em = em
  }

  findPage(slug: string): Promise<Page | null> {
    return this.#em.findOne(Page, { slug })
  }

  /** The page's newest revision, with its author. */
  latest(page: Page): Promise<Revision | null> {
    return this.#em.findOne(Revision, { page }, { orderBy: { number: 'desc' }, populate: ['author'] })
  }

  revision(page: Page, number: number): Promise<Revision | null> {
    return this.#em.findOne(Revision, { page, number }, { populate: ['author'] })
  }

  /** Every revision of a page, newest first. */
  history(page: Page): Promise<Revision[]> {
    return this.#em.find(Revision, { page }, { orderBy: { number: 'desc' }, populate: ['author'] })
  }

  /** The newest revision of every page, by title. */
  async allPages(): Promise<Revision[]> {
    const rows = await this.#em.execute<Array<Record<string, unknown>>>(latestIds)
    const ids = rows.map((r) => Number(Object.values(r)[0]))
    if (!ids.length) return []
    const revisions = await this.#em.find(Revision, { id: { $in: ids } }, { populate: ['page', 'author'] })
    return revisions.sort((a, b) => a.page.title.localeCompare(b.page.title))
  }

  /** The latest saves across the wiki, newest first. */
  recentChanges(limit = 30): Promise<Revision[]> {
    return this.#em.find(Revision, {}, { orderBy: { id: 'desc' }, limit, populate: ['page', 'author'] })
  }

  /** Which of these addresses are pages: links to the others are drawn as missing. */
  async existing(slugs: readonly string[]): Promise<Set<string>> {
    if (!slugs.length) return new Set()
    const pages = await this.#em.find(Page, { slug: { $in: [...slugs] } }, { fields: ['slug'] })
    return new Set(pages.map((p) => p.slug))
  }

  /** Whether a page already has this address or this title (both are unique). */
  async taken(slug: string, title: string): Promise<'slug' | 'title' | undefined> {
    const clash = await this.#em.findOne(Page, { $or: [{ slug }, { title }] })
    if (!clash) return undefined
    return clash.slug === slug ? 'slug' : 'title'
  }

  /** A new page with its first revision. */
  create(slug: string, title: string, edit: Edit): Revision {
    const page = this.#em.create(Page, { slug, title })
    return this.#em.create(Revision, { page, number: 1, ...edit })
  }

  /**
   * Save a new revision on top of revision `base`, the one the author
   * started from. If someone else saved in between, nothing is written and
   * their revision comes back, so the author can merge instead of silently
   * overwriting it.
   */
  async save(page: Page, base: number, edit: Edit): Promise<{ saved: Revision } | { conflict: Revision }> {
    const latest = await this.latest(page)
    if (latest && latest.number !== base) return { conflict: latest }
    return { saved: this.#em.create(Revision, { page, number: (latest?.number ?? 0) + 1, ...edit }) }
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
    const pattern = `%${likeEscaped(needle)}%`
    const rows = await this.#em.execute<Array<Record<string, unknown>>>(
      `select r.id from wiki_revision r join wiki_page p on p.id = r.page_id
       where r.id in (${latestIds})
         and (lower(p.title) like ? escape '!' or lower(r.body) like ? escape '!')`,
      [pattern, pattern],
    )
    const ids = rows.map((r) => Number(Object.values(r)[0]))
    if (!ids.length) return []
    const revisions = await this.#em.find(Revision, { id: { $in: ids } }, { populate: ['page'], orderBy: { page: { title: 'asc' } }, limit })
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
