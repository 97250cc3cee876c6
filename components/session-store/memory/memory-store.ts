import { decodeSession, encodeSession, type SessionData, type SessionStore } from '../../../core/index.js'

export interface MemoryStoreOptions {
  /** Sweep expired sessions this often (ms); 0 turns the sweep off (expired ones are still never returned). @default 60000 */
  sweepInterval?: number
}

/**
 * Sessions in this process's memory: lost on restart and not shared between
 * processes, so for development and tests only. Values go through JSON like
 * in every other store, so code that works here works on Redis or SQL.
 *
 * @example
 * const store = new MemorySessionStore()
 * await store.set('id', { user: 1 }, 60_000)
 */
export class MemorySessionStore implements SessionStore {
  /** Nothing to be unavailable: the sessions are in this process. */
  readonly name: string = 'session-store/memory'
  readonly #entries = new Map<string, { json: string; expires: number }>()
  #timer: NodeJS.Timeout | undefined

  constructor(options: MemoryStoreOptions = {}) {
    const every = options.sweepInterval ?? 60_000
    if (every > 0) {
      this.#timer = setInterval(() => this.sweep(), every)
      // A sweep timer must never keep the process alive.
      this.#timer.unref()
    }
  }

  /** How many sessions are held (expired ones included until the next sweep). */
  get size(): number {
    return this.#entries.size
  }

  async get(id: string): Promise<SessionData | undefined> {
    const entry = this.#entries.get(id)
    if (!entry) return undefined
    if (entry.expires <= Date.now()) {
      this.#entries.delete(id)
      return undefined
    }
    return decodeSession(entry.json)
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    this.#entries.set(id, { json: encodeSession(data), expires: Date.now() + ttl })
  }

  async destroy(id: string): Promise<void> {
    this.#entries.delete(id)
  }

  async touch(id: string, ttl: number): Promise<void> {
    const entry = this.#entries.get(id)
    if (entry && entry.expires > Date.now()) entry.expires = Date.now() + ttl
  }

  /** Drop every expired session now. */
  sweep(): void {
    const now = Date.now()
    for (const [id, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(id)
  }

  /** Stop the sweep timer. */
  close(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
