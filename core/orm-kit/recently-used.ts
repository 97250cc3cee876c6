/**
 * Values by key, at most `limit` of them: past it the least recently used
 * goes. What an ORM component keeps per connection by SQL text (prepared
 * statements, their names) so that a query run again is not prepared again,
 * without letting an app with ever new SQL texts grow it without bound.
 *
 * A `Map` in use order (a hit moves to the end, the first key is the oldest)
 * rather than lru-cache: the caller sometimes has work to do before the
 * evicted entry is gone (PostgreSQL's `DEALLOCATE`), which `set` hands back
 * for that, and a statement lookup is on every query's path.
 *
 * @example
 * const kept = new RecentlyUsed<Statement>(100)
 * let statement = kept.get(sql)
 * if (!statement) kept.set(sql, (statement = db.prepare(sql)))
 */
export class RecentlyUsed<V> {
  readonly #limit: number
  readonly #entries = new Map<string, V>()

  constructor(limit: number) {
    this.#limit = limit
  }

  get size(): number {
    return this.#entries.size
  }

  /** Whether `key` is kept, without counting as a use. */
  has(key: string): boolean {
    return this.#entries.has(key)
  }

  /** The value kept under `key`, without counting as a use. */
  peek(key: string): V | undefined {
    return this.#entries.get(key)
  }

  /** The value kept under `key`, now the most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  /**
   * Keep `value` under `key` as the most recently used. Returns the entry
   * this pushed out past the limit (the least recently used), for the caller
   * to release, or `undefined`.
   */
  set(key: string, value: V): { key: string; value: V } | undefined {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    if (this.#entries.size <= this.#limit) return undefined
    const [oldKey, oldValue] = this.#entries.entries().next().value!
    this.#entries.delete(oldKey)
    return { key: oldKey, value: oldValue }
  }

  delete(key: string): boolean {
    return this.#entries.delete(key)
  }

  values(): IterableIterator<V> {
    return this.#entries.values()
  }

  clear(): void {
    this.#entries.clear()
  }
}
