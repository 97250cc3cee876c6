import type { Context } from 'dovetailjs'
import { safeRedirect } from 'dovetailjs/components/middleware/auth'
import { readForm } from 'dovetailjs/components/middleware/body'
import { Accounts } from '../services/accounts.js'
import { Views } from '../services/views.js'

/** Logging in and out. */
export class AccountController {
  static readonly inject = [Accounts, Views] as const
  readonly #accounts: Accounts
  readonly #views: Views

  constructor(accounts: Accounts, views: Views) {
    this.#accounts = accounts
    this.#views = views
  }

  /** `/login`: the form. `next` is where to go afterwards; only paths of this site are kept. */
  loginForm(ctx: Context): Promise<Response> {
    return this.#form(ctx, '', safeRedirect(ctx.query.next, ''), null, 200)
  }

  /**
   * `POST /login`: check the password; back to where the visitor was going,
   * or the form again: 401 for a wrong password, 429 after too many.
   */
  async login(ctx: Context): Promise<Response> {
    const { fields } = await readForm(ctx)
    const username = (fields.username ?? '').trim()
    const next = safeRedirect(fields.next, ctx.url('home'))
    const result = await this.#accounts.logIn(ctx, username, fields.password ?? '')
    if (!result) return this.#form(ctx, username, next, 'Wrong username or password.', 401)
    if ('throttled' in result) return this.#form(ctx, username, next, result.throttled, 429, { 'retry-after': result.retryAfter })
    await this.#views.flash(ctx, 'info', `Welcome, ${result.username}.`)
    return ctx.redirect(next, 303)
  }

  /** `POST /logout`: a POST with the CSRF token, so another site cannot log a visitor out. */
  async logout(ctx: Context): Promise<Response> {
    await this.#accounts.logOut(ctx)
    await this.#views.flash(ctx, 'info', 'You are logged out.')
    return ctx.redirect(ctx.url('home'), 303)
  }

  #form(ctx: Context, username: string, next: string, error: string | null, status: number, headers?: Record<string, string>): Promise<Response> {
    return this.#views.render(ctx, 'account/login', { title: 'Log in', username, error, next }, { status, ...(headers ? { headers } : {}) })
  }
}
