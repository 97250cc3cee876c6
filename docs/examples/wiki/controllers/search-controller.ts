import type { Context } from 'dovetailjs'
import { PageService } from '../services/page-service.js'
import { changeView } from '../services/view-models.js'
import { Views } from '../services/views.js'

/** Finding pages: the search box and the list of recent changes. */
export class SearchController {
  static readonly inject = [PageService, Views] as const
  readonly #pages: PageService
  readonly #views: Views

  constructor(pages: PageService, views: Views) {
    this.#pages = pages
    this.#views = views
  }

  /** `/search?q=…`: pages whose title or current text contains the words. */
  async search(ctx: Context): Promise<Response> {
    const query = (ctx.query.q ?? '').trim().slice(0, 200)
    const hits = (await this.#pages.search(query)).map(({ revision, excerpt }) => ({ slug: revision.page.slug, title: revision.page.title, ...excerpt }))
    return this.#views.render(ctx, 'search', { title: query ? `Search: ${query}` : 'Search', query, hits })
  }

  /** `/changes`: the latest saves across the wiki. */
  async changes(ctx: Context): Promise<Response> {
    const changes = (await this.#pages.recentChanges()).map(changeView)
    return this.#views.render(ctx, 'changes', { title: 'Recent changes', changes })
  }
}
