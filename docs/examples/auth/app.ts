import { fileURLToPath } from 'node:url'
import { createApp, defineConfig } from 'dovetailjs'
import { attemptLogin, auth, currentUser, logout, requireRole, requireUser, safeRedirect, verifyPassword, type ScryptParams } from 'dovetailjs/components/middleware/auth'
import { csrf } from 'dovetailjs/components/middleware/csrf'
import { sessionMiddleware } from 'dovetailjs/components/middleware/session'
import { memoryStore } from 'dovetailjs/components/session-store/memory'
import { eta } from 'dovetailjs/components/template/eta'
import type { User, Users } from './users.js'

/** Sign in, an account page, an admin page and sign out, with the login form rate limited. */
export function createSite(users: Users, secret: string, params?: ScryptParams) {
  return createApp(
    defineConfig({
      components: {
        template: eta({ views: fileURLToPath(new URL('./views', import.meta.url)) }),
        'session-store': memoryStore(),
        middleware: [
          sessionMiddleware({ secrets: [secret] }),
          csrf(),
          auth({ loadUser: (id) => users.byId(id), loginPath: '/login', rateLimit: { perAccount: { max: 5, window: 15 * 60_000 } }, trustProxy: true }),
        ],
      },
      routes(r) {
        r.get('/login', (ctx) => ctx.render('login', { next: ctx.query.next ?? '/account', email: '' }))
        r.post('/login', async (ctx) => {
          const form = await ctx.request.formData()
          const email = String(form.get('email') ?? '')
          const password = String(form.get('password') ?? '')
          const user = await attemptLogin(ctx, email, async () => {
            const found = users.byEmail(email)
            // Unknown email or wrong password take the same time and give the same answer.
            return (await verifyPassword(password, found?.passwordHash, params)) ? found : undefined
          })
          if (!user) return ctx.render('login', { next: ctx.query.next ?? '/account', email, error: 'Wrong email or password.' }, { status: 401 })
          return ctx.redirect(safeRedirect(ctx.query.next, '/account'), 303)
        })
        r.post('/logout', async (ctx) => {
          await logout(ctx)
          return ctx.redirect('/login', 303)
        })
        r.get('/account', requireUser(async (ctx) => ctx.html(`<h1>Hello ${(await currentUser<User>(ctx))!.email}</h1>`)))
        r.get('/admin', requireRole('admin')((ctx) => ctx.html('<h1>Admin</h1>')))
      },
    }),
  )
}
