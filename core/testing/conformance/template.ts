import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { App } from '../../app/app.js'
import { createApp } from '../../app/create-app.js'
import type { Component } from '../../component/define-component.js'
import { DovetailError } from '../../errors/dovetail-error.js'
import type { Middleware } from '../../pipeline/middleware.js'
import type { Logger } from '../../slots/logger.js'
import { Logger as LoggerToken } from '../../slots/logger.js'
import { safeHtml } from '../../slots/safe-html.js'
import { TemplateEngine } from '../../slots/template.js'
import { createTestClient, type TestClient } from '../test-client.js'

/** What the suite hands `createComponent`, to pass on as the component's options. */
export interface TemplateFixtureOptions {
  helpers: Record<string, (...args: any[]) => unknown>
  filters: Record<string, (...args: any[]) => unknown>
  globals: Record<string, unknown>
}

export interface TemplateConformanceOptions {
  /** Shown in the test names, e.g. `'template/eta'`. */
  name: string
  /**
   * The component, configured for `views` with the given helpers, filters and
   * globals. Leave its cache option unset: the suite checks the default
   * (re-read in development, cached in production).
   */
  createComponent: (views: string, options: TemplateFixtureOptions) => Component
  /** A directory holding the fixture templates in the engine's syntax (see {@link runTemplateConformance}). */
  fixtures: string
  /** Whether the engine reports the line of a syntax error. Default true. */
  reportsLines?: boolean
}

// Also `=` and a backtick, which end an unquoted attribute value or quote one in old IE.
const XSS = `<script>alert("x")</script>' onmouseover=alert(1) \`x\``
const ESCAPED = '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39; onmouseover&#61;alert(1) &#96;x&#96;'
/** What a value that cannot become a string (no callable `toString`) prints as, as `escapeHtml` does. */
const UNPRINTABLE = '[object Object]'

const expected = {
  page:
    '<!doctype html><html><head><title>Home · Dovetail</title></head><body><h1>Home</h1><ul>' +
    '<li><a href="/items/a%20b">A &amp; B</a></li><li><a href="/items/c">C</a></li></ul></body></html>',
  helper: '<p>ADA LOVELACE!</p><p>ada-lovelace</p>',
  escape: `<p title="${ESCAPED}">${ESCAPED}</p>`,
  unprintable: `<p title="${UNPRINTABLE}">${UNPRINTABLE}</p>`,
  globals: '<p>Hi &lt;you&gt;</p><input type="hidden" name="_csrf" value="t"><p><em>trusted</em></p>',
}

/** Whitespace between tags goes, runs of whitespace become one space: engines differ only there. */
const normalize = (html: string): string => html.replace(/>\s+</g, '><').replace(/\s+/g, ' ').trim()

const fixtureOptions: TemplateFixtureOptions = {
  helpers: {
    shout: (s: string) => `${s.toUpperCase()}!`,
    fail: () => {
      throw new Error('helper failed on purpose')
    },
  },
  filters: { kebab: (s: string) => s.toLowerCase().replace(/\s+/g, '-') },
  globals: { siteName: 'Dovetail' },
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet }

// What a CSRF middleware does: put per-request names where ctx.render finds them.
const requestGlobals: Middleware = (ctx, next) => {
  ctx.state.templateGlobals = { greeting: 'Hi <you>', field: () => safeHtml('<input type="hidden" name="_csrf" value="t">') }
  return next()
}

async function rejection(promise: Promise<unknown>): Promise<DovetailError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(DovetailError)
    return error as DovetailError
  }
  throw new Error('expected a DovetailError, but the promise resolved')
}

/**
 * The template slot's contract as a test suite. Every template component runs
 * it with the same data and its own syntax; after whitespace normalisation the
 * HTML must be the same for all.
 *
 * `fixtures` must hold these templates (names without the engine's extension):
 * - `layout`: `<!doctype html><html><head><title>{title} · {siteName}</title></head><body>{content}</body></html>`
 * - `page`: in `layout` with title `title`; content `<h1>{title}</h1><ul>` then `partials/item` for each of `items`, then `</ul>`
 * - `partials/item`: `<li><a href="{url('item', { slug: item.slug })}">{item.name}</a></li>`
 * - `helper`: `<p>{shout(name)}</p><p>{name through the kebab filter}</p>`
 * - `escape`: `<p title="{value}">{value}</p>`
 * - `globals`: `<p>{greeting}</p>{field()}<p>{trusted}</p>`
 * - `missing-partial`: `<p>before</p>` then includes `partials/absent` (which must not exist)
 * - `broken`: two plain lines, then a syntax error on line 3
 * - `throws`: `<p>before</p>` then `<p>{fail()}</p>`
 * - `changing`: the text `version 1`
 * Every `{x}` is printed with the engine's escaping output.
 *
 * @example
 * import { runTemplateConformance } from 'dovetailjs/testing/conformance'
 * import { handlebars } from '../src/index.js'
 * runTemplateConformance({
 *   name: 'template/handlebars',
 *   createComponent: (views, options) => handlebars({ views, ...options }),
 *   fixtures: new URL('./fixtures', import.meta.url).pathname,
 * })
 */
export function runTemplateConformance({ name, createComponent, fixtures, reportsLines = true }: TemplateConformanceOptions): void {
  describe(`template conformance: ${name}`, () => {
    const cleanup: Array<() => Promise<void> | void> = []
    afterEach(async () => {
      for (const step of cleanup.splice(0).reverse()) await step()
    })

    async function boot(environment = 'test'): Promise<{ app: App; client: TestClient; views: string; engine: TemplateEngine }> {
      const views = mkdtempSync(join(tmpdir(), 'dovetail-templates-'))
      cleanup.push(() => rmSync(views, { recursive: true, force: true }))
      cpSync(fixtures, views, { recursive: true })
      const app = await createApp({
        environment,
        components: { template: createComponent(views, fixtureOptions) },
        register: (c) => void c.value(LoggerToken, quiet),
        middleware: [requestGlobals],
        routes(r) {
          r.get('/items/:slug', (ctx) => ctx.text(ctx.params.slug ?? ''), { name: 'item' })
          r.get('/page', (ctx) => ctx.render('page', { title: 'Home', items: [{ slug: 'a b', name: 'A & B' }, { slug: 'c', name: 'C' }] }))
          r.get('/helper', (ctx) => ctx.render('helper', { name: 'Ada Lovelace' }))
          r.get('/escape', (ctx) => ctx.render('escape', { value: XSS }))
          r.get('/unprintable/bad-tostring', (ctx) => ctx.render('escape', { value: { toString: 1 } }))
          r.get('/unprintable/null-prototype', (ctx) => ctx.render('escape', { value: Object.create(null) }))
          r.get('/globals', (ctx) => ctx.render('globals', { trusted: safeHtml('<em>trusted</em>') }))
          r.get('/created', (ctx) => ctx.render('helper', { name: 'Ada Lovelace' }, { status: 201, headers: { 'x-extra': 'yes' } }))
          r.get('/throws', (ctx) => ctx.render('throws'))
          r.get('/absent', (ctx) => ctx.render('absent'))
          r.get('/changing', (ctx) => ctx.render('changing'))
        },
      })
      cleanup.push(() => app.close())
      return { app, client: createTestClient(app), views, engine: app.resolve(TemplateEngine) }
    }

    describe('rendering', () => {
      it('renders a page in its layout, with a partial per item, as HTML', async () => {
        const { client } = await boot()
        const res = await client.get('/page')
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
        expect(normalize(await res.text())).toBe(expected.page)
      })

      it("links with url(), the current request's route URLs, parameters encoded", async () => {
        const { client } = await boot()
        const html = await (await client.get('/page')).text()
        expect(html).toContain('href="/items/a%20b"')
        expect(html).toContain('href="/items/c"')
      })

      it('calls helpers and filters given in the options', async () => {
        const { client } = await boot()
        expect(normalize(await (await client.get('/helper')).text())).toBe(expected.helper)
      })

      it('escapes data by default: a <script> in data comes out as text', async () => {
        const { client } = await boot()
        const html = await (await client.get('/escape')).text()
        expect(normalize(html)).toBe(expected.escape)
        expect(html).not.toContain('<script>')
      })

      it('escapes every character that matters in an attribute: & < > " \' = and the backtick', async () => {
        const { engine } = await boot()
        const html = normalize(await engine.render('escape', { value: '&<>"\'=`' }))
        expect(html).toBe('<p title="&amp;&lt;&gt;&quot;&#39;&#61;&#96;">&amp;&lt;&gt;&quot;&#39;&#61;&#96;</p>')
      })

      it(`prints a value that cannot become a string (toString not a function, null prototype) as ${UNPRINTABLE}, not a 500`, async () => {
        const { client } = await boot()
        for (const path of ['/unprintable/bad-tostring', '/unprintable/null-prototype']) {
          const res = await client.get(path)
          expect(res.status, path).toBe(200)
          expect(normalize(await res.text()), path).toBe(expected.unprintable)
        }
      })

      it('sees ctx.state.templateGlobals set by middleware, and prints SafeHtml unescaped', async () => {
        const { client } = await boot()
        expect(normalize(await (await client.get('/globals')).text())).toBe(expected.globals)
      })

      it("ctx.render takes the response's status and headers", async () => {
        const { client } = await boot()
        const res = await client.get('/created')
        expect(res.status).toBe(201)
        expect(res.headers.get('x-extra')).toBe('yes')
        expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
        expect(normalize(await res.text())).toBe(expected.helper)
      })

      it('renderStream yields the same HTML as render', async () => {
        const { engine } = await boot()
        const data = { name: 'Ada Lovelace' }
        const streamed = await new Response(await engine.renderStream('helper', data)).text()
        expect(streamed).toBe(await engine.render('helper', data))
        expect(normalize(streamed)).toBe(expected.helper)
      })
    })

    describe('errors', () => {
      it('a missing template rejects with DOVETAIL_ERR_TEMPLATE_NOT_FOUND naming it; ctx.render answers 500', async () => {
        const { engine, client } = await boot()
        const error = await rejection(engine.render('absent'))
        expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
        expect(error.message).toContain("'absent'")
        expect((await client.get('/absent')).status).toBe(500)
      })

      it('a missing partial is reported by its own name', async () => {
        const { engine } = await boot()
        const error = await rejection(engine.render('missing-partial'))
        expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
        expect(error.message).toContain('partials/absent')
      })

      it(`a broken template rejects with DOVETAIL_ERR_TEMPLATE_RENDER naming it${reportsLines ? ' and the line' : ''}`, async () => {
        const { engine } = await boot()
        const error = await rejection(engine.render('broken'))
        expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
        expect(error.message).toContain('broken')
        if (reportsLines) expect(error.message).toMatch(/line 3\b/i)
      })

      it('an error thrown while rendering names the template and keeps the cause', async () => {
        const { engine } = await boot()
        const error = await rejection(engine.render('throws'))
        expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
        expect(error.message).toContain('throws')
        expect(error.message).toContain('helper failed on purpose')
      })

      it('an error while rendering through ctx.render gives a 500 with no partial HTML', async () => {
        const { client } = await boot()
        for (const accept of ['application/json', 'text/html']) {
          const res = await client.get('/throws', { headers: { accept } })
          expect(res.status).toBe(500)
          expect(await res.text()).not.toContain('before')
        }
      })

      it('renderStream rejects before emitting anything when rendering fails', async () => {
        const { engine } = await boot()
        const error = await rejection(engine.renderStream('throws'))
        expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
      })

      it('a views directory that does not exist fails at startup, naming the option', async () => {
        const missing = join(tmpdir(), 'dovetail-no-such-views-dir')
        const error = await rejection(createApp({ components: { template: createComponent(missing, fixtureOptions) } }))
        expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
        expect(error.message).toContain('views')
      })
    })

    describe('caching', () => {
      const rewrite = (views: string) => {
        const file = readdirSync(views).find((f) => f.startsWith('changing.'))
        if (!file) throw new Error(`the fixtures have no 'changing' template`)
        writeFileSync(join(views, file), 'version 2\n')
      }

      it('in development, a changed template is read again on the next render', async () => {
        const { client, views } = await boot('development')
        expect((await (await client.get('/changing')).text()).trim()).toBe('version 1')
        rewrite(views)
        expect((await (await client.get('/changing')).text()).trim()).toBe('version 2')
      })

      it('in production, the compiled template is served from the cache', async () => {
        const { client, views } = await boot('production')
        expect((await (await client.get('/changing')).text()).trim()).toBe('version 1')
        rewrite(views)
        expect((await (await client.get('/changing')).text()).trim()).toBe('version 1')
      })
    })
  })
}
