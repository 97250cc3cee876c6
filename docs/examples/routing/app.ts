import { Hono } from 'hono'
import { type Context, createApp, defineConfig, HttpError, token } from 'dovetailjs'

/** A stand-in for a real data source. */
export interface PageStore {
  find(slug: string): { title: string; body: string } | undefined
}
export const PageStore = token<PageStore>('PageStore')

/**
 * A controller: a class whose methods answer requests. It is built for each
 * request, its constructor receiving what `static inject` lists.
 */
export class PageController {
  static inject = [PageStore] as const
  constructor(private readonly pages: PageStore) {}

  show(ctx: Context): Response {
    const page = this.pages.find(ctx.params.slug!)
    if (!page) throw new HttpError(404, `No page '${ctx.params.slug}'`)
    return ctx.json({ ...page, self: ctx.url('page', { slug: ctx.params.slug! }) })
  }
}

/** An app from another framework, mounted as it is. */
export const reports = new Hono()
reports.get('/', (c) => c.text('reports index'))
reports.get('/:year', (c) => c.json({ year: c.req.param('year'), path: c.req.path }))
reports.post('/', async (c) => c.json({ received: await c.req.json() }, 201))

/** Any fetch handler can be mounted too. */
export const legacy = (request: Request): Response => new Response(`legacy handler saw ${new URL(request.url).pathname}`)

export const config = defineConfig({
  register(c) {
    c.value(PageStore, {
      find: (slug) => (slug === 'about' ? { title: 'About', body: 'We make joints.' } : undefined),
    })
  },
  routes(r) {
    r.get('/', (ctx) => ctx.text('home'), { name: 'home' })

    // Parameters arrive decoded: /users/a%20b gives 'a b'.
    r.get('/users/:id', (ctx) => ctx.json({ id: ctx.params.id }), { name: 'user' })
    r.get('/users/:id/posts/:post', (ctx) => ctx.json(ctx.params), { name: 'user.post' })

    // A wildcard takes the rest of the path, under the key '*'.
    r.get('/files/*', (ctx) => ctx.text(`file ${ctx.params['*']}`), { name: 'file' })

    // One path, several methods; any other method answers 405 with an Allow header.
    r.get('/items', (ctx) => ctx.json(['a', 'b']))
    r.post('/items', (ctx) => ctx.text('created', { status: 201 }))
    r.route(['PUT', 'PATCH'], '/items/:id', (ctx) => ctx.text(`updated ${ctx.params.id}`))

    // A controller action.
    r.get('/pages/:slug', [PageController, 'show'], { name: 'page' })

    // A group shares a prefix.
    r.group('/api/v1', (api) => {
      api.get('/status', (ctx) => ctx.json({ ok: true }), { name: 'api.status' })
      api.all('/echo', (ctx) => ctx.text(ctx.request.method))
    })

    // Mounts: everything under the prefix goes to the mounted fetch handler, prefix removed.
    r.mount('/reports', reports)
    r.mount('/legacy', legacy)
  },
})

export const createRoutingApp = () => createApp(config)
