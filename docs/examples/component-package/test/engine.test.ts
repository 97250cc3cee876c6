// What this engine does beyond the shared conformance suite: Handlebars' own
// syntax (hashes, subexpressions, block helpers, inline partials) mapped onto
// Dovetail's helpers, globals, escaping and errors.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Handlebars from 'handlebars'
import { afterEach, describe, expect, it } from 'vitest'
import { createApp, DovetailError, escapeHtml, safeHtml } from 'dovetailjs'
import { handlebars, HandlebarsEngine, handlebarsOptions, type HandlebarsOptions } from 'dovetail-handlebars'

const temps: string[] = []
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A views directory holding `files` (name → source). */
function views(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dovetail-handlebars-'))
  temps.push(root)
  for (const [name, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true })
    writeFileSync(join(root, name), source)
  }
  return root
}

const engine = (options: HandlebarsOptions) => new HandlebarsEngine({ ...handlebarsOptions.parse(options), cache: true })

async function rejection(promise: Promise<unknown>): Promise<DovetailError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(DovetailError)
  return error as DovetailError
}

describe('options', () => {
  it("default views to ./views from the working directory, so config can name the component alone", () => {
    const result = handlebarsOptions.safeParse({})
    const expected = join(process.cwd(), 'views')
    if (result.success) expect(result.data.views).toEqual([expected])
    else expect(result.error.issues[0]?.message).toContain(`'${expected}' is not a directory`)
  })
})

describe('escaping', () => {
  it('prints the same bytes as escapeHtml, which differ from Handlebars\' own table', async () => {
    const value = `a=b \`c\` 'd' \\e <f> & "g"`
    const html = await engine({ views: views({ 'p.hbs': '{{value}}' }) }).render('p', { value })
    expect(html).toBe(escapeHtml(value))
    expect(html).toContain('&#39;')
    expect(html).toContain('&#92;')
  })

  it('prints a SafeHtml as it is at any depth of the data, and {{{ }}} raw', async () => {
    const e = engine({ views: views({ 'p.hbs': '{{#each posts}}{{body}}{{/each}}|{{{raw}}}|{{plain}}' }) })
    const html = await e.render('p', { posts: [{ body: safeHtml('<em>a</em>') }], raw: '<b>b</b>', plain: '<b>c</b>' })
    expect(html).toBe('<em>a</em>|<b>b</b>|&lt;b&gt;c&lt;/b&gt;')
  })
})

describe('helpers and globals', () => {
  it('passes positional arguments, then the hash as one last object', async () => {
    const calls: unknown[][] = []
    const e = engine({ views: views({ 'p.hbs': '{{money 3 currency="EUR"}} {{money 4}}' }), helpers: { money: (...args: unknown[]) => (calls.push(args), 'x') } })
    await e.render('p')
    expect(calls).toEqual([[3, { currency: 'EUR' }], [4]])
  })

  it('prints globals at any depth, takes them as arguments through a subexpression, and lets the data win a shared name', async () => {
    const e = engine({
      views: views({ 'p.hbs': '{{#each items}}{{siteName}} {{/each}}{{shout (siteName)}} {{title}}' }),
      helpers: { shout: (s: string) => s.toUpperCase() },
      globals: { siteName: 'Teashop', title: 'global title' },
    })
    expect(await e.render('p', { items: [1, 2], title: 'data title' })).toBe('Teashop Teashop TEASHOP data title')
  })

  it('takes block helpers in Handlebars\' convention, and refuses a plain helper used as a block', async () => {
    const e = engine({
      views: views({ 'ok.hbs': '{{#ifEqual a b}}same{{else}}different{{/ifEqual}} {{bold "x"}}', 'bad.hbs': 'one\n{{#shout}}two{{/shout}}' }),
      helpers: { shout: (s: string) => s.toUpperCase() },
      handlebarsHelpers: {
        ifEqual(this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
          return a === b ? options.fn(this) : options.inverse(this)
        },
        bold: (text: string) => new Handlebars.SafeString(`<b>${escapeHtml(text)}</b>`),
      },
    })
    expect(await e.render('ok', { a: 1, b: 1 })).toBe('same <b>x</b>')
    const error = await rejection(e.render('bad'))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
    expect(error.message).toMatch(/'bad' failed to render at .*bad\.hbs line 2/)
    expect(error.message).toContain("'shout' is a plain function, so it cannot open a block")
  })

  it("refuses a render's global whose name templates could not use", async () => {
    const e = engine({ views: views({ 'p.hbs': 'x' }) })
    const error = await rejection(e.render('p', {}, { globals: { 'csrf-field': () => '' } }))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_RENDER')
    expect(error.message).toContain("'csrf-field' is not a JavaScript identifier")
  })

  it("fails at startup on a name that is not an identifier or is one of Handlebars' own, naming the option", async () => {
    const root = views({ 'p.hbs': 'x' })
    const error = await rejection(createApp({ components: { template: handlebars({ views: root, helpers: { each: () => '' }, globals: { 'site-name': 1 } }) } }))
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain("option 'helpers.each'")
    expect(error.message).toContain("option 'globals.site-name'")
  })
})

describe('layouts and partials', () => {
  it('fills several places of a layout with inline partials', async () => {
    const e = engine({
      views: views({
        'layout.hbs': '<title>{{> title}}</title><main>{{> @partial-block}}</main>',
        'page.hbs': '{{#> layout}}{{#*inline "title"}}T {{name}}{{/inline}}body {{name}}{{/layout}}',
      }),
    })
    expect(await e.render('page', { name: '<x>' })).toBe('<title>T &lt;x&gt;</title><main>body &lt;x&gt;</main>')
  })

  it('searches the views directories in order, and never reads a name that leads out of them', async () => {
    const parent = views({ 'secret.hbs': 'secret', 'first/a.hbs': 'first a', 'second/a.hbs': 'second a', 'second/b.hbs': 'second b' })
    const e = engine({ views: [join(parent, 'first'), join(parent, 'second')] })
    expect(await e.render('a')).toBe('first a')
    expect(await e.render('b')).toBe('second b')
    const error = await rejection(e.render('../secret'))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
  })

  it("names a missing partial and the page that used it", async () => {
    const error = await rejection(engine({ views: views({ 'page.hbs': '{{> nav}}' }) }).render('page'))
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
    expect(error.message).toContain("template 'nav' (a partial or layout used while rendering 'page') was not found: looked for 'nav.hbs'")
  })
})
