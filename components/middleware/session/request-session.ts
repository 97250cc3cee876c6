import { randomBytes } from 'node:crypto'
import { encodeSession, type SessionData, type SessionRecord } from '../../../core/index.js'

/**
 * One request's session, as a handler sees it. Reads and writes are
 * synchronous and in memory; the middleware saves the result once the
 * handler has returned its response, and only if something changed.
 *
 * Values must be plain JSON. Changing an object in place is noticed too (the
 * session is compared with what was loaded), but `set` it back for clarity.
 *
 * @example
 * const s = await session<{ visits: number }>(ctx)
 * s.set('visits', (s.get('visits') ?? 0) + 1)
 */
export interface Session<D extends object = SessionData> {
  /**
   * The store's id for this session; a new one is made on first read. Always
   * `undefined` with a stateless store (the cookie store), where there is none.
   */
  readonly id: string | undefined
  /** True until the session has been saved once (no valid cookie came with the request, or it was destroyed). */
  readonly isNew: boolean
  get<K extends keyof D & string>(key: K): D[K] | undefined
  set<K extends keyof D & string>(key: K, value: D[K]): void
  has(key: keyof D & string): boolean
  delete(key: keyof D & string): void
  /** Every key and value, as a copy. */
  toJSON(): Partial<D>
  /** Remove every value; the session (and its id) stay. */
  clear(): void
  /**
   * Give the session a new id and destroy the old one, keeping its values.
   * Call it whenever privileges change (login, logout, sudo mode) so an id an
   * attacker planted or saw before can't ride along (session fixation).
   */
  regenerate(): void
  /** Forget the session: the store entry is destroyed and the cookie cleared. Setting a value afterwards starts a new session. */
  destroy(): void
}

/**
 * A fresh, unguessable session id: 256 random bits, base64url.
 *
 * @example
 * await store.set(newSessionId(), { data: {}, created: Date.now(), active: Date.now() }, ttl)
 */
export const newSessionId = (): string => randomBytes(32).toString('base64url')

/**
 * The middleware's side of a session: what was loaded, what became of it.
 * Kept apart from the {@link Session} interface so handlers see only the
 * methods meant for them.
 */
export class RequestSession implements Session {
  #id: string | undefined
  #data: SessionData
  #created: number
  #active: number
  #original: string
  #isNew: boolean
  readonly #stateless: boolean
  /** Ids to destroy in the store on commit (regenerated or destroyed sessions). */
  readonly retired: string[] = []
  /** The cookie was present and must now be removed. */
  clearCookie = false
  /** Save even though the values did not change (new id, re-signed cookie, idle refresh). */
  force = false
  /** The cookie was signed with an older secret: send it again, signed with the newest. */
  reissue = false

  constructor(stateless: boolean, loaded?: { id: string; record: SessionRecord }) {
    this.#stateless = stateless
    const now = Date.now()
    this.#id = loaded?.id
    this.#data = loaded?.record.data ?? {}
    this.#created = loaded?.record.created ?? now
    this.#active = loaded?.record.active ?? now
    this.#isNew = loaded === undefined
    this.#original = loaded ? encodeSession(this.#data) : '{}'
  }

  get id(): string | undefined {
    if (this.#stateless) return undefined
    this.#id ??= newSessionId()
    return this.#id
  }

  /** The id as loaded or assigned, without making one up. */
  get currentId(): string | undefined {
    return this.#id
  }

  get isNew(): boolean {
    return this.#isNew
  }

  get created(): number {
    return this.#created
  }

  get active(): number {
    return this.#active
  }

  get data(): SessionData {
    return this.#data
  }

  /** The values as they were loaded (JSON), to tell what this request changed. */
  get original(): SessionData {
    return JSON.parse(this.#original) as SessionData
  }

  get changed(): boolean {
    return encodeSession(this.#data) !== this.#original
  }

  get(key: string): any {
    return this.#data[key]
  }

  set(key: string, value: unknown): void {
    if (value === undefined) {
      this.delete(key)
      return
    }
    this.#data[key] = value
  }

  has(key: string): boolean {
    return Object.hasOwn(this.#data, key)
  }

  delete(key: string): void {
    delete this.#data[key]
  }

  toJSON(): SessionData {
    return JSON.parse(encodeSession(this.#data)) as SessionData
  }

  clear(): void {
    this.#data = {}
  }

  regenerate(): void {
    if (this.#id !== undefined && !this.#isNew) this.retired.push(this.#id)
    this.#id = this.#stateless ? undefined : newSessionId()
    this.#created = Date.now()
    this.#active = this.#created
    this.#isNew = true
    this.force = true
  }

  destroy(): void {
    if (this.#id !== undefined && !this.#isNew) {
      this.retired.push(this.#id)
      this.clearCookie = true
    }
    this.#id = undefined
    this.#data = {}
    this.#original = '{}'
    this.#created = Date.now()
    this.#active = this.#created
    this.#isNew = true
    this.force = false
  }

  /** Whether this session was loaded from the store and is still the same one (not regenerated or destroyed). */
  get continued(): boolean {
    return !this.#isNew
  }
}
