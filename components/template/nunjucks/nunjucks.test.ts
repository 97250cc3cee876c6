import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApp, DovetailError, escapeHtml, safeHtml, TemplateEngine, type App } from 'dovetailjs'
import { nunjucks, type NunjucksOptions } from 'dovetailjs/components/template/nunjucks'

const dir = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const apps: App[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close()
})

async function engine(options: NunjucksOptions, environment = 'test'): Promise<TemplateEngine> {
  const app = await createApp({ environment, components: { template: nunjucks(options) } })
  apps.push(app)
  return app.resolve(TemplateEngine)
}

async function failure(promise: Promise<unknown>): Promise<DovetailError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(DovetailError)
  return error as DovetailError
}

describe('template/nunjucks', () => {
  describe('finding templates', () => {
    it('searches the views directories in order: the first holding a name wins', async () => {
      const first = await engine({ views: [dir('main'), dir('extra')] })
      expect(await first.render('home', { title: 'Hi' })).toContain('<nav>main nav</nav>')
      expect(await first.render('extra-only', { title: 'Hi' })).toBe('<p>only in extra: Hi</p>\n')
      const reversed = await engine({ views: [dir('extra'), dir('main')] })
      expect(await reversed.render('home', { title: 'Hi' })).toContain('<nav>extra nav</nav>')
    })

    it('resolves ./ and ../ names from the including file', async () => {
      const e = await engine({ views: dir('main') })
      expect(await e.render('home', { title: 'Hi' })).toContain('<aside>local</aside>')
    })

    it('uses a name that has an extension as it is', async () => {
      const e = await engine({ views: dir('main') })
      expect(await e.render('count.html', { n: 3 })).toBe('<p>3 items</p>\n')
    })

    it('refuses names that leave the views directories, even into a sibling sharing their prefix', async () => {
      const e = await engine({ views: dir('main') })
      expect((await failure(e.render('../main-private/secret'))).code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
      const included = await failure(e.render('escape-root'))
      expect(included.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
      expect(included.message).toContain('main-private/secret')
      expect(included.message).toContain('outside the views directories')
    })
  })

  it('prints helper results escaped, SafeHtml unescaped (also from a filter), | safe raw, undefined as nothing', async () => {
    const e = await engine({
      views: dir('main'),
      helpers: { double: (n: number) => `<${n * 2}>` },
      filters: { emphasis: (s: string) => safeHtml(`<em>${escapeHtml(s)}</em>`) },
    })
    const html = await e.render('values', { n: 2, html: safeHtml('<b>safe</b>'), raw: '<i>raw</i>', missing: undefined, name: 'A&B' })
    expect(html).toBe('<p>&lt;4&gt; · <b>safe</b> · <i>raw</i> · [] · <em>A&amp;B</em></p>\n')
  })

  it("escapes {{ x }} and | e with the core's escapeHtml (= and ` too), leaving other nunjucks environments alone", async () => {
    const views = mkdtempSync(join(tmpdir(), 'dovetail-nunjucks-escape-'))
    try {
      writeFileSync(join(views, 'both.njk'), '{{ value }}|{{ value | e }}|{{ odd }}|{{ nested.odd }}')
      const e = await engine({ views })
      const data = { value: '<a b=`c`>', odd: { toString: 1 }, nested: { odd: Object.create(null) } }
      expect(await e.render('both', data)).toBe(`${escapeHtml(data.value)}|${escapeHtml(data.value)}|[object Object]|[object Object]`)
      expect(escapeHtml(data.value)).toBe('&lt;a b&#61;&#96;c&#96;&gt;')
      const { default: plain } = await import('nunjucks')
      expect(new plain.Environment(null, { autoescape: true }).renderString('{{ v }}', { v: '<a b=`c`>' })).toBe('&lt;a b=`c`&gt;')
    } finally {
      rmSync(views, { recursive: true, force: true })
    }
  })

  it('reports a runtime error at the line it happened on', async () => {
    const e = await engine({ views: dir('main'), helpers: { double: () => { throw new RangeError('too big') } } })
    const error = await failure(e.render('values', { n: 2 }))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
    expect(error.message).toMatch(/values\.njk line 1 column \d+: RangeError: too big/)
  })

  it('refuses render globals whose names templates could not use', async () => {
    const e = await engine({ views: dir('main') })
    const error = await failure(e.render('count.html', { n: 1 }, { globals: { 'csrf-field': () => '' } }))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
    expect(error.message).toContain("'csrf-field'")
  })

  describe('options', () => {
    it.each([
      [{ views: dir('main'), helpers: { 'my-helper': () => '' } }, "option 'helpers.my-helper'", 'not an identifier'],
      [{ views: dir('main'), trimBlocks: 'yes' }, "option 'trimBlocks'", 'boolean'],
      [{ views: dir('main'), filters: { upper: 'toUpperCase' } }, "option 'filters.upper'", 'expected a function'],
      [{ views: dir('main'), extension: 'njk' }, "option 'extension'", 'start with a dot'],
      [{ views: [] }, "option 'views'", 'at least one directory'],
      [{ views: dir('main'), watch: true }, 'watch', ''],
    ])('bad options fail at startup, naming the option (%#)', async (options, option, why) => {
      const error = await failure(createApp({ components: { template: nunjucks(options as NunjucksOptions) } }))
      expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
      expect(error.message).toContain('template/nunjucks')
      expect(error.message).toContain(option)
      expect(error.message).toContain(why)
    })
  })

  describe('the cache option overrides the environment default', () => {
    const views = mkdtempSync(join(tmpdir(), 'dovetail-nunjucks-cache-'))
    beforeEach(() => writeFileSync(join(views, 'v.njk'), 'one'))
    afterAll(() => rmSync(views, { recursive: true, force: true }))

    it('cache: false re-reads in production', async () => {
      const e = await engine({ views, cache: false }, 'production')
      expect(await e.render('v')).toBe('one')
      writeFileSync(join(views, 'v.njk'), 'two')
      expect(await e.render('v')).toBe('two')
    })

    it('cache: true keeps the first read in development', async () => {
      const e = await engine({ views, cache: true }, 'development')
      expect(await e.render('v')).toBe('one')
      writeFileSync(join(views, 'v.njk'), 'two')
      expect(await e.render('v')).toBe('one')
    })
  })
})
