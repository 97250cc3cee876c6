import { Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { defineEntity } from '@mikro-orm/core'
import { describe, expect, it } from 'vitest'
import { type App, createApp, type DovetailConfig, DovetailError } from 'dovetailjs'
import { pinoLogger } from 'dovetailjs/components/logger/pino'
import { attemptLogin, requireUser, UserLoader } from 'dovetailjs/components/middleware/auth'
import { readForm } from 'dovetailjs/components/middleware/body'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { serveStatic } from 'dovetailjs/components/middleware/static'
import { Em, mikroOrm, MikroOrm } from 'dovetailjs/components/orm/mikro-orm'
import { eta } from 'dovetailjs/components/template/eta'

const fixture = (path: string) => fileURLToPath(new URL(`./fixtures/${path}`, import.meta.url))
const browser = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }
const secret = 'a-session-secret-of-at-least-thirty-two-characters'

const Note = defineEntity({
  name: 'PresetNote',
  tableName: 'fullstack_note',
  properties: (p) => ({ id: p.integer().primary().autoincrement(), text: p.string().length(200) }),
})

/** A small app on the fullstack preset: what the preset leaves to the app is given here, nothing else. */
async function notesApp(): Promise<{ app: App; lines: () => Array<Record<string, any>> }> {
  let written = ''
  const logs = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk)
      done()
    },
  })
  const config: DovetailConfig = {
    preset: 'fullstack',
    environment: 'production',
    components: {
      logger: pinoLogger({ destination: logs }),
      template: eta({ views: fixture('views') }),
      orm: mikroOrm({ url: ':memory:', entities: [Note], schema: 'update' }),
      middleware: {
        replace: {
          static: serveStatic({ root: fixture('public'), prefix: '/static' }),
          session: sessionMiddleware({ secrets: [secret] }),
        },
      },
    },
    register(c) {
      // The one user there is; the auth middleware asks this for the signed-in one.
      c.value(UserLoader, (id: string) => (id === '1' ? { id: 1 } : undefined))
    },
    routes(r) {
      r.get('/notes', async (ctx) => ctx.render('notes', { notes: await ctx.resolve(Em).find(Note, {}, { orderBy: { id: 'asc' } }), user: null }))
      r.post('/notes', async (ctx) => {
        const { fields } = await readForm(ctx)
        ctx.resolve(Em).create(Note, { text: fields.text ?? '' })
        // The handler neither flushes nor commits: the transaction middleware does, for an answer below 400.
        if (fields.text === 'reject me') return ctx.text('not this one', { status: 422 })
        return ctx.redirect('/notes', 303)
      })
      r.post('/login', async (ctx) => {
        const user = await attemptLogin(ctx, 'one', async () => ({ id: 1 }))
        return ctx.text(user ? 'signed in' : 'no')
      })
      r.get('/private', requireUser((ctx) => ctx.text('for signed-in users')))
      r.get('/crash', () => {
        throw new Error('secret internals')
      })
    },
  }
  const app = await createApp(config)
  return {
    app,
    lines: () =>
      written
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, any>),
  }
}

/** Cookies, as a browser keeps them between requests. */
function jar() {
  const cookies = new Map<string, string>()
  return {
    header: () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    keep(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';')
        const eq = pair!.indexOf('=')
        cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1))
      }
    },
  }
}

describe('the fullstack preset', () => {
  it('is a built-in preset name; what only the app can give is asked for at startup, by component and option', async () => {
    const fails = (config: DovetailConfig) => createApp({ preset: 'fullstack', environment: 'test', ...config }).then(
      () => expect.fail('createApp should have refused this config'),
      (error: unknown) => error as DovetailError,
    )
    const views = eta({ views: fixture('views') })
    const session = sessionMiddleware({ secrets: [secret] })
    // Not the preset's default SQLite file under ./data: a test writes nothing into the checkout.
    const orm = mikroOrm({ url: ':memory:' })

    let error = await fails({ components: { orm } })
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_OPTIONS')
    expect(error.message).toContain("Component 'template/eta' has invalid options")
    expect(error.message).toContain("option 'views'")

    error = await fails({ components: { template: views, orm } })
    expect(error.message).toContain("Component 'middleware/session' has invalid options")
    expect(error.message).toContain("option 'secrets'")

    error = await fails({ components: { template: views, orm, middleware: { replace: { session } } } })
    expect(error.code).toBe('DOVETAIL_ERR_COMPONENT_START')
    expect(error.message).toContain("option 'root' is './public'")

    error = await fails({
      components: { template: views, orm, middleware: { replace: { session, static: serveStatic({ root: fixture('public') }) } } },
    })
    expect(error.message).toContain('middleware/auth has no way to load the signed-in user')
  })

  it('serves pages, static files and forms through its middleware, in order', async () => {
    const { app, lines } = await notesApp()
    const cookies = jar()
    const get = async (path: string, headers: Record<string, string> = {}) => {
      const res = await app.fetch(new Request(`http://localhost${path}`, { headers: { ...browser, cookie: cookies.header(), ...headers } }))
      cookies.keep(res)
      return res
    }
    const post = async (path: string, form: Record<string, string>) => {
      const res = await app.fetch(
        new Request(`http://localhost${path}`, {
          method: 'POST',
          headers: { ...browser, cookie: cookies.header(), origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams(form),
        }),
      )
      cookies.keep(res)
      return res
    }

    // A template page: security headers, a request id, compression, a session for the CSRF token.
    const page = await get('/notes', { 'accept-encoding': 'gzip' })
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('x-request-id')).toBeTruthy()
    expect(page.headers.get('content-encoding')).toBe('gzip')
    const html = await new Response(page.body!.pipeThrough(new DecompressionStream('gzip'))).text()
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!
    expect(cookies.header()).toMatch(/^sid=/)

    // Static files, before any session is touched.
    const css = await get('/static/site.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toMatch(/^text\/css/)
    expect(css.headers.get('x-content-type-options')).toBe('nosniff')
    expect(css.headers.get('set-cookie')).toBeNull()

    // A form without its token is refused; with it, the note is committed by the transaction middleware.
    expect((await post('/notes', { text: 'forged' })).status).toBe(403)
    expect((await post('/notes', { _csrf: token, text: 'first note' })).status).toBe(303)
    expect((await post('/notes', { _csrf: token, text: 'reject me' })).status).toBe(422)
    const notes = await app.resolve(MikroOrm).execute<{ text: string }>('select text from fullstack_note order by id')
    expect(notes.map((n) => n.text)).toEqual(['first note'])

    // Logins, guarded routes.
    const guarded = await get('/private')
    expect(guarded.status).toBe(303)
    expect(guarded.headers.get('location')).toBe('/login?next=%2Fprivate')
    expect(await (await post('/login', { _csrf: token })).text()).toBe('signed in')
    // body comes before csrf, so csrf reads the token from the one parse of the form: found even past
    // the first 64 KiB (csrf's maxScanBytes, what it would read of a form on its own).
    const late = await post('/login', { first: 'x'.repeat(40_000), second: 'y'.repeat(40_000), _csrf: token })
    expect(await late.text()).toBe('signed in')
    expect(await (await get('/private')).text()).toBe('for signed-in users')

    // Errors: a production page with the request id and no stack, still with the security headers.
    const crash = await get('/crash')
    expect(crash.status).toBe(500)
    const body = await crash.text()
    expect(body).not.toContain('secret internals')
    expect(body).toContain(crash.headers.get('x-request-id')!)
    expect(crash.headers.get('x-frame-options')).toBe('DENY')
    const missing = await get('/nowhere')
    expect(missing.status).toBe(404)
    expect(await missing.text()).toContain('Page not found')

    // One log line per request, the failures included, and the crash's cause in the log only.
    const requests = lines().filter((l) => 'durationMs' in l)
    expect(requests.map((l) => [l.method, l.path, l.status])).toContainEqual(['GET', '/crash', 500])
    expect(requests.map((l) => [l.method, l.path, l.status])).toContainEqual(['POST', '/notes', 403])
    expect(lines().find((l) => l.msg === 'uncaught error while handling a request')?.err.message).toBe('secret internals')
    await app.close()
  })
})
