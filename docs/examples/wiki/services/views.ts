import type { Context, ResponseInitLite } from 'dovetailjs'
import { session } from 'dovetailjs/components/middleware/session'
import { Accounts } from './accounts.js'

/** A one-time message for the next page (after a redirect): "Page saved", "Logged out". */
export interface Flash {
  kind: 'info' | 'error'
  text: string
}

const FLASH_KEY = 'wiki.flash'

/**
 * Renders the wiki's pages: `ctx.render` plus what every page's header needs,
 * the logged-in user and the flash message, as template globals
 * (`currentUser`, `flash`) so that layouts and partials of both template
 * engines can use them without every controller passing them along.
 */
export class Views {
  static readonly inject = [Accounts] as const
  readonly #accounts: Accounts

  constructor(accounts: Accounts) {
    this.#accounts = accounts
  }

  async render(ctx: Context, name: string, data: Record<string, unknown>, init?: ResponseInitLite): Promise<Response> {
    const user = await this.#accounts.currentUser(ctx)
    const s = await session(ctx)
    const flash = (s.get(FLASH_KEY) as Flash | undefined) ?? null
    if (flash) s.delete(FLASH_KEY)
    const globals = (ctx.state.templateGlobals ??= {}) as Record<string, unknown>
    globals.currentUser = user ? { username: user.username } : null
    globals.flash = flash
    return ctx.render(name, data, init)
  }

  /** Keep a message for the next page this visitor sees. */
  async flash(ctx: Context, kind: Flash['kind'], text: string): Promise<void> {
    ;(await session(ctx)).set(FLASH_KEY, { kind, text })
  }
}
