import { type Context, createApp, defineConfig, HttpError } from 'dovetailjs'
import { Controller, expose, lookup, objectDispatch } from 'dovetailjs/components/router/object-dispatch'
import { PageStore } from './app.js'

/** A controller class: resolved from the container for each request, as with r.get(path, [Class, 'method']). */
export class PageController {
  static inject = [PageStore] as const
  constructor(private readonly pages: PageStore) {}

  show(ctx: Context): Response {
    const page = this.pages.find(ctx.params.slug!)
    if (!page) throw new HttpError(404, `No page '${ctx.params.slug}'`)
    return ctx.json({ ...page, edit: ctx.url('page.edit', { slug: ctx.params.slug! }) })
  }

  edit(ctx: Context): Response {
    return ctx.text(`editing ${ctx.params.slug}`)
  }

  save(ctx: Context): Response {
    return ctx.text(`saved ${ctx.params.slug}`)
  }

  /** Not exposed in the tree: no URL reaches it. */
  purge(ctx: Context): Response {
    return ctx.text('purged')
  }
}

/** A controller written as a class of its own: its fields are segments, its methods helpers. */
export class ArchiveController extends Controller {
  index = expose((ctx) => ctx.text('every year'))

  // /archive/2024/05: a hand-written _lookup decides from the segments.
  _lookup(year: string, month?: string, ...remainder: string[]) {
    if (!this.isYear(year) || month === undefined) return undefined
    return { controller: this._month, remainder, params: { year, month } }
  }

  // Under a name starting with _: reached through the _lookup only, never as /archive/_month.
  readonly _month = { index: expose((ctx) => ctx.text(`archive of ${ctx.params.month}/${ctx.params.year}`)) }

  isYear(segment: string): boolean {
    return /^\d{4}$/.test(segment)
  }
}

/** One page, `/pages/<slug>/…`. */
const page = {
  index: expose({ get: [PageController, 'show'], post: [PageController, 'save'] }, { name: 'page' }),
  edit: expose([PageController, 'edit'], { name: 'page.edit' }),
}

/** The root controller: `/` is its index, `/pages/about/edit` is pages, then lookup('slug'), then page.edit. */
export const root = {
  index: expose((ctx) => ctx.text('home'), { name: 'home' }),
  pages: {
    index: expose((ctx) => ctx.text('all pages'), { name: 'pages' }),
    _lookup: lookup('slug', page),
  },
  // /tags/<tag>: the segment after the key, as a parameter.
  tags: expose((ctx) => ctx.text(`tag ${ctx.params.tag}`), { params: ['tag'], name: 'tag' }),
  // /files/<anything>: what nothing else takes, in ctx.params['*'].
  files: { _default: expose((ctx) => ctx.text(`file ${ctx.params['*']}`), { name: 'file' }) },
  archive: new ArchiveController(),
}

export const config = defineConfig({
  components: { router: objectDispatch({ root }) },
  register(c) {
    c.value(PageStore, { find: (slug) => (slug === 'about' ? { title: 'About', body: 'We make joints.' } : undefined) })
  },
  // Routes added the usual way still work, matched before the tree.
  routes(r) {
    r.get('/health', (ctx) => ctx.json({ ok: true }), { name: 'health' })
  },
})

export const createObjectDispatchApp = () => createApp(config)
