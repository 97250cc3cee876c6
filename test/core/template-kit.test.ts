import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { DovetailError } from 'dovetailjs'
import { causeChain, findView, MissingTemplate, templateFile, templateNotFound, viewsEngineShape } from 'dovetailjs/template-kit'

// A views tree with a sibling directory that shares the root's prefix, which must never be read.
const base = mkdtempSync(join(tmpdir(), 'dovetail-template-kit-'))
const views = join(base, 'views')
mkdirSync(join(views, 'pages'), { recursive: true })
mkdirSync(join(base, 'views-private'))
writeFileSync(join(views, 'pages', 'home.hbs'), '<h1>{{title}}</h1>')
writeFileSync(join(base, 'views-private', 'secret.hbs'), 'secret')
afterAll(() => rmSync(base, { recursive: true, force: true }))

// The lines of docs/templates.md ("The template kit"), for a made-up handlebars engine.
const badName = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? undefined : `'${name}' is not an identifier`)
const handlebarsOptions = z.strictObject({ ...viewsEngineShape('.hbs', badName), strict: z.boolean().default(false) })

function lookup(name: string, options: z.output<typeof handlebarsOptions>): string {
  const file = templateFile(name, options.extension)
  return findView(name, file, options.views, options.views.map((root) => resolve(root, file)))
}

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

function reported(name: string, error: unknown): unknown {
  const missing = causeChain(error).find((e) => e instanceof MissingTemplate)
  if (missing) return templateNotFound('@acme/dovetail-handlebars', missing, '', error)
  return error
}

describe('dovetailjs/template-kit', () => {
  it('gives an engine the shared option shape: views resolved and checked, defaults, names checked', () => {
    const options = handlebarsOptions.parse({ views })
    expect(options).toEqual({ views: [views], extension: '.hbs', helpers: {}, filters: {}, globals: {}, strict: false })
    expect(handlebarsOptions.safeParse({ views: join(base, 'nowhere') }).error?.issues[0]?.message).toMatch(/is not a directory/)
    const bad = handlebarsOptions.safeParse({ views, helpers: { 'my-helper': () => 1 } }).error?.issues[0]
    expect(bad?.path).toEqual(['helpers', 'my-helper'])
    expect(bad?.message).toBe("'my-helper' is not an identifier")
    expect(handlebarsOptions.safeParse({ views, filters: { upper: 'not a function' } }).error?.issues[0]?.message).toBe('expected a function')
    expect(handlebarsOptions.safeParse({ views, extension: 'hbs' }).error?.issues[0]?.message).toBe("extension must start with a dot, like '.hbs'")
  })

  it('finds a template below the views roots, adding the extension to a name without one', () => {
    const options = handlebarsOptions.parse({ views })
    expect(templateFile('pages/home', '.hbs')).toBe('pages/home.hbs')
    expect(templateFile('feed.xml', '.hbs')).toBe('feed.xml')
    expect(lookup('pages/home', options)).toBe(join(views, 'pages', 'home.hbs'))
  })

  it('never reads outside the roots, not even a sibling sharing their prefix, and says what it searched', () => {
    const options = handlebarsOptions.parse({ views })
    const outside = thrown(() => lookup('../views-private/secret', options))
    expect(outside).toBeInstanceOf(MissingTemplate)
    expect((outside as Error).message).toBe(`'../views-private/secret.hbs' is outside the views directories (${views})`)
    const absent = thrown(() => lookup('pages/gone', options))
    expect((absent as Error).message).toBe(`looked for 'pages/gone.hbs' in ${views}`)
  })

  it('reports a missing template wrapped by the engine as DOVETAIL_ERR_TEMPLATE_NOT_FOUND, keeping the cause', () => {
    const missing = new MissingTemplate('partials/nav', 'partials/nav.hbs', [views], false)
    const wrapped = new Error('while rendering pages/home', { cause: new Error('in layout', { cause: missing }) })
    expect(causeChain(wrapped).at(-1)).toBe(missing)
    const error = reported('pages/home', wrapped) as DovetailError
    expect(error).toBeInstanceOf(DovetailError)
    expect(error.code).toBe('DOVETAIL_ERR_TEMPLATE_NOT_FOUND')
    expect(error.message).toBe(
      `@acme/dovetail-handlebars: template 'partials/nav' was not found: looked for 'partials/nav.hbs' in ${views}. Check the name and the views option. [DOVETAIL_ERR_TEMPLATE_NOT_FOUND]`,
    )
    expect(error.cause).toBe(wrapped)
  })

  it('stops a cause chain at a cycle', () => {
    const a = new Error('a') as Error & { cause?: unknown }
    const b = new Error('b', { cause: a })
    a.cause = b
    expect(causeChain(a)).toEqual([a, b])
  })
})
