import { Cache, type Context, Db, type UnitOfWork } from 'dovetailjs'
import { cacheResponse } from 'dovetailjs/components/middleware/cache-response'

/** Every rendered page carries this tag: a new page can turn a "missing" link on any page into a real one. */
const ALL_PAGES = 'pages'
/** The tag of one page's renderings. */
const pageTag = (slug: string) => `page:${slug}`

/**
 * How long a rendered page is kept at most. Edits clear it at once (by tag),
 * so this only bounds what a missed clear (a Redis outage at the wrong
 * moment) could leave stale.
 */
const PAGE_TTL = 10 * 60_000

/**
 * The wiki's rendered pages in the app's cache (the `cache` slot: memory in
 * one process, Redis shared by every process and machine).
 *
 * Only anonymous readers get a stored page: the response cache bypasses any
 * request with a session cookie, since the page shows the logged-in user and
 * a CSRF token in the logout form; a rendering that sets a cookie is never
 * stored. Edits and new pages clear the renderings they change, by tag, after
 * their transaction committed: cleared before, a reader could render the old
 * text again in between and store it as fresh.
 *
 * Applied inside the controller rather than as a route's `use`, so that it is
 * the same with either router (the object-dispatch tree has no route middleware).
 */
export class PageCache {
  static readonly inject = [Cache, Db] as const
  readonly #cache: Cache
  readonly #db: UnitOfWork

  constructor(cache: Cache, db: UnitOfWork) {
    this.#cache = cache
    this.#db = db
  }

  /** The page `slug` as `render` makes it, from the cache when it can be. */
  view(ctx: Context, slug: string, render: () => Promise<Response>): Promise<Response> {
    return cacheResponse({ ttl: PAGE_TTL, tags: [ALL_PAGES, pageTag(slug)] })(ctx, render)
  }

  /** After a save: commit it, then forget the page's renderings. */
  async saved(slug: string): Promise<void> {
    await this.#db.commit()
    await this.#cache.clearTag(pageTag(slug))
  }

  /** After a page was created: commit it, then forget every rendering (links to it were marked missing). */
  async created(): Promise<void> {
    await this.#db.commit()
    await this.#cache.clearTag(ALL_PAGES)
  }
}
