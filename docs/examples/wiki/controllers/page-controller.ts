import { type Context, safeHtml } from 'dovetailjs'
import { readForm } from 'dovetailjs/components/middleware/body'
import type { Page, Revision } from '../models/index.js'
import { Accounts } from '../services/accounts.js'
import { linkedSlugs, renderMarkdown } from '../services/markdown.js'
import { PageCache } from '../services/page-cache.js'
import { PageService } from '../services/page-service.js'
import { diffRevisions } from '../services/revision-diff.js'
import { isSlug, slugFor } from '../services/slugs.js'
import { revisionView } from '../services/view-models.js'
import { Views } from '../services/views.js'

/** The page the wiki opens on, as in MoinMoin. */
export const FRONT_PAGE = 'FrontPage'

const MAX_BODY = 200_000

interface PageForm {
  title: string
  slug: string
  body: string
  comment: string
  base: string
}

/**
 * Viewing and editing pages. Resolved anew for each request, its services
 * arriving through the constructor (`static inject`).
 */
export class PageController {
  static readonly inject = [PageService, Accounts, Views, PageCache] as const
  readonly #pages: PageService
  readonly #accounts: Accounts
  readonly #views: Views
  readonly #cache: PageCache

  constructor(pages: PageService, accounts: Accounts, views: Views, cache: PageCache) {
    this.#pages = pages
    this.#accounts = accounts
    this.#views = views
    this.#cache = cache
  }

  /** `/`: the FrontPage, shown in place (cached for anonymous readers, see PageCache). */
  front(ctx: Context): Promise<Response> {
    return this.#cache.view(ctx, FRONT_PAGE, () => this.#showPage(ctx, FRONT_PAGE))
  }

  /** `/pages/:slug`: the page's newest revision, or a 404 that offers to create it (cached for anonymous readers). */
  show(ctx: Context): Promise<Response> {
    const slug = ctx.params.slug!
    return this.#cache.view(ctx, slug, () => this.#showPage(ctx, slug))
  }

  /** `/pages`: every page, by title. */
  async list(ctx: Context): Promise<Response> {
    const pages = (await this.#pages.allPages()).map((r) => ({ ...revisionView(r), slug: r.page.slug, title: r.page.title }))
    return this.#views.render(ctx, 'pages/index', { title: 'All pages', pages })
  }

  /** `/new?slug=…`: the form for a new page. */
  async new(ctx: Context): Promise<Response> {
    if (!(await this.#accounts.currentUser(ctx))) return this.#accounts.toLogin(ctx, `${ctx.url('page-new')}${ctx.query.slug ? `?slug=${encodeURIComponent(ctx.query.slug)}` : ''}`)
    const slug = ctx.query.slug && isSlug(ctx.query.slug) ? ctx.query.slug : ''
    return this.#newForm(ctx, { title: slug, slug, body: '', comment: '', base: '0' }, [])
  }

  /** `POST /pages`: create a page with its first revision. */
  async create(ctx: Context): Promise<Response> {
    const author = await this.#accounts.currentUser(ctx)
    if (!author) return this.#accounts.toLogin(ctx, ctx.url('page-new'))
    const form = await readPageForm(ctx)
    form.slug ||= slugFor(form.title)
    const errors = checkPage(form)
    if (!errors.length) {
      const taken = await this.#pages.taken(form.slug, form.title)
      if (taken === 'slug') errors.push(`There already is a page at ${form.slug}: edit that one, or choose another address.`)
      if (taken === 'title') errors.push(`There already is a page titled “${form.title}”: choose another title.`)
      if (taken) return this.#newForm(ctx, form, errors, 409)
    }
    if (errors.length) return this.#newForm(ctx, form, errors, 422)
    this.#pages.create(form.slug, form.title, { body: form.body, comment: form.comment || 'New page', author })
    await this.#cache.created()
    await this.#views.flash(ctx, 'info', `Created “${form.title}”.`)
    return ctx.redirect(ctx.url('page', { slug: form.slug }), 303)
  }

  /** `/pages/:slug/edit`: the form, filled with the newest text. */
  async edit(ctx: Context): Promise<Response> {
    const slug = ctx.params.slug!
    if (!(await this.#accounts.currentUser(ctx))) return this.#accounts.toLogin(ctx, ctx.url('page-edit', { slug }))
    const page = await this.#pages.findPage(slug)
    if (!page) return ctx.redirect(`${ctx.url('page-new')}?slug=${encodeURIComponent(slug)}`, 303)
    const latest = (await this.#pages.latest(page))!
    return this.#editForm(ctx, page, { title: page.title, slug, body: latest.body, comment: '', base: String(latest.number) }, [])
  }

  /** `POST /pages/:slug`: save the form as a new revision. */
  async save(ctx: Context): Promise<Response> {
    const slug = ctx.params.slug!
    const author = await this.#accounts.currentUser(ctx)
    if (!author) return this.#accounts.toLogin(ctx, ctx.url('page-edit', { slug }))
    const page = await this.#pages.findPage(slug)
    if (!page) return this.#missing(ctx, slug)
    const form = await readPageForm(ctx)
    const errors = checkBody(form)
    const base = Number(form.base)
    if (!Number.isInteger(base) || base < 1) errors.push('The form lacks the revision it was started from; open the page’s edit form again.')
    if (errors.length) return this.#editForm(ctx, page, form, errors, 422)
    const result = await this.#pages.save(page, base, { body: form.body, comment: form.comment, author })
    if ('conflict' in result) return this.#editForm(ctx, page, form, [], 409, result.conflict)
    await this.#cache.saved(slug)
    await this.#views.flash(ctx, 'info', `Saved revision ${result.saved.number} of “${page.title}”.`)
    return ctx.redirect(ctx.url('page', { slug }), 303)
  }

  /** `/pages/:slug/history`: every revision, newest first, with a form to compare two. */
  async history(ctx: Context): Promise<Response> {
    const page = await this.#pages.findPage(ctx.params.slug!)
    if (!page) return this.#missing(ctx, ctx.params.slug!)
    const revisions = (await this.#pages.history(page)).map(revisionView)
    const latest = revisions[0]?.number ?? 0
    return this.#views.render(ctx, 'pages/history', {
      title: `History of ${page.title}`,
      page: pageView(page),
      revisions,
      selectFrom: Math.max(1, latest - 1),
      selectTo: latest,
    })
  }

  /** `/pages/:slug/revisions/:number`: an old revision, rendered. */
  async revision(ctx: Context): Promise<Response> {
    const page = await this.#pages.findPage(ctx.params.slug!)
    if (!page) return this.#missing(ctx, ctx.params.slug!)
    const number = Number(ctx.params.number)
    const revision = Number.isInteger(number) ? await this.#pages.revision(page, number) : null
    if (!revision) return ctx.notFound(`${page.title} has no revision ${ctx.params.number}.`)
    const latest = (await this.#pages.latest(page))!.number
    return this.#views.render(ctx, 'pages/revision', {
      title: `${page.title} (revision ${revision.number})`,
      page: pageView(page),
      revision: revisionView(revision),
      latest,
      html: await this.#html(ctx, revision.body),
    })
  }

  /** `/pages/:slug/diff?from=1&to=3`: what changed between two revisions (the newest two by default). */
  async diff(ctx: Context): Promise<Response> {
    const page = await this.#pages.findPage(ctx.params.slug!)
    if (!page) return this.#missing(ctx, ctx.params.slug!)
    const latest = (await this.#pages.latest(page))!.number
    const wanted = [ctx.query.from ?? String(Math.max(1, latest - 1)), ctx.query.to ?? String(latest)].map(Number)
    if (!wanted.every((n) => Number.isInteger(n) && n >= 1)) return ctx.notFound('Revision numbers are whole numbers from 1.')
    // Whichever way round they were picked, show the change from the older to the newer.
    const [older, newer] = await Promise.all([...wanted].sort((a, b) => a - b).map((n) => this.#pages.revision(page, n)))
    if (!older || !newer) return ctx.notFound(`${page.title} has revisions 1 to ${latest}.`)
    const { html, stats } = diffRevisions(older.body, newer.body)
    return this.#views.render(ctx, 'pages/diff', {
      title: `Changes to ${page.title}`,
      page: pageView(page),
      older: revisionView(older),
      newer: revisionView(newer),
      stats,
      diff: html,
    })
  }

  async #showPage(ctx: Context, slug: string): Promise<Response> {
    const page = await this.#pages.findPage(slug)
    if (!page) return this.#missing(ctx, slug)
    const revision = (await this.#pages.latest(page))!
    return this.#views.render(ctx, 'pages/show', {
      title: page.title,
      page: pageView(page),
      revision: revisionView(revision),
      html: await this.#html(ctx, revision.body),
    })
  }

  /** A page that is not there: 404, with a link to create it. */
  #missing(ctx: Context, slug: string): Promise<Response> {
    return this.#views.render(ctx, 'pages/missing', { title: `${slug} (not found)`, slug }, { status: 404 })
  }

  /** A revision's Markdown as sanitised HTML, links to missing pages marked as such. */
  async #html(ctx: Context, body: string) {
    const existing = await this.#pages.existing(linkedSlugs(body))
    return safeHtml(renderMarkdown(body, { href: (slug) => ctx.url('page', { slug }), exists: (slug) => existing.has(slug) }))
  }

  #newForm(ctx: Context, form: PageForm, errors: string[], status = 200): Promise<Response> {
    return this.#views.render(
      ctx,
      'pages/edit',
      { title: 'New page', mode: 'new', form, errors, action: ctx.url('page-create'), cancel: ctx.url('home'), conflict: null, page: null },
      { status },
    )
  }

  #editForm(ctx: Context, page: Page, form: PageForm, errors: string[], status = 200, conflict?: Revision): Promise<Response> {
    return this.#views.render(
      ctx,
      'pages/edit',
      {
        title: `Edit ${page.title}`,
        mode: 'edit',
        page: pageView(page),
        form,
        errors,
        action: ctx.url('page-save', { slug: page.slug }),
        cancel: ctx.url('page', { slug: page.slug }),
        conflict: conflict ? revisionView(conflict) : null,
      },
      { status },
    )
  }
}

const pageView = (page: Page) => ({ slug: page.slug, title: page.title })

async function readPageForm(ctx: Context): Promise<PageForm> {
  const { fields } = await readForm(ctx)
  const text = (name: string) => (fields[name] ?? '').replace(/\r\n?/g, '\n')
  return { title: text('title').trim(), slug: text('slug').trim(), body: text('body'), comment: text('comment').trim(), base: text('base').trim() }
}

function checkBody(form: PageForm): string[] {
  const errors: string[] = []
  if (!form.body.trim()) errors.push('The text is empty: write something.')
  if (form.body.length > MAX_BODY) errors.push(`The text is ${form.body.length} characters long; a page holds at most ${MAX_BODY}.`)
  if (form.comment.length > 200) errors.push('The comment is longer than 200 characters.')
  return errors
}

function checkPage(form: PageForm): string[] {
  const errors: string[] = []
  if (!form.title) errors.push('The title is empty.')
  else if (form.title.length > 200) errors.push('The title is longer than 200 characters.')
  if (form.title && !isSlug(form.slug)) {
    errors.push(form.slug ? `“${form.slug}” can’t be an address: use letters, digits, - and _, starting with a letter or digit.` : 'Give the page an address: the title has no letters or digits to make one from.')
  }
  return [...errors, ...checkBody(form)]
}
