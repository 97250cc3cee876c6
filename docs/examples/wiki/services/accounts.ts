import { type Context, HttpError } from 'dovetailjs'
import { attemptLogin, currentUser, logout, UserLoader, verifyPassword } from 'dovetailjs/components/middleware/auth'
import { type User, WikiData } from '../data/wiki-data.js'

/**
 * How the auth middleware turns the id in the session back into an account:
 * registered scoped, so it reads through this request's unit of work. A
 * deleted account is thereby logged out everywhere at once.
 */
export const userLoader = (data: WikiData): UserLoader => async (id) => {
  const key = Number(id)
  return Number.isSafeInteger(key) ? data.userById(key) : undefined
}

/** A login refused before the password was even checked: too many failures lately. */
export interface Throttled {
  throttled: string
  retryAfter: string
}

/**
 * The wiki's accounts on top of the auth middleware (`currentUser`,
 * `attemptLogin`, `logout`, scrypt passwords): what the controllers need,
 * in the wiki's own terms.
 */
export class Accounts {
  static readonly inject = [WikiData] as const
  readonly #data: WikiData

  constructor(data: WikiData) {
    this.#data = data
  }

  /** The logged-in user, or undefined. */
  currentUser(ctx: Context): Promise<User | undefined> {
    return currentUser<User>(ctx)
  }

  /**
   * Check a username and password under the auth middleware's rate limits;
   * on success the session gets a new id (so one planted before the login is
   * worth nothing) holding the user's id.
   */
  async logIn(ctx: Context, username: string, password: string): Promise<User | Throttled | undefined> {
    try {
      return await attemptLogin(ctx, username, async () => {
        const user = await this.#data.userByName(username)
        // An unknown name is checked against a dummy hash: it takes as long as a wrong password.
        return (await verifyPassword(password, user?.passwordHash)) ? (user ?? undefined) : undefined
      })
    } catch (error) {
      if (error instanceof HttpError && error.status === 429) return { throttled: error.message, retryAfter: error.headers.get('retry-after') ?? '60' }
      throw error
    }
  }

  /** Forget the session entirely: the store entry goes and the cookie is cleared. */
  logOut(ctx: Context): Promise<void> {
    return logout(ctx)
  }

  /**
   * The way to the login page for a visitor who may not do this, coming back
   * to `next` afterwards. 303, so that a refused POST turns into a GET.
   */
  toLogin(ctx: Context, next: string): Response {
    return ctx.redirect(`${ctx.url('login')}?next=${encodeURIComponent(next)}`, 303)
  }
}
