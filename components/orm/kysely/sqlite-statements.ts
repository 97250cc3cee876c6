import type { SqliteDatabase, SqliteStatement } from 'kysely'
import { RecentlyUsed } from '../../../core/orm-kit/index.js'

/** What of libsql's `Database` and its statements this file uses (better-sqlite3's API). */
export interface LibsqlDatabase {
  prepare(sql: string): LibsqlStatement
  close(): void
}

interface LibsqlStatement {
  readonly reader: boolean
  all(params: readonly unknown[]): unknown[]
  run(params: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint }
  iterate(params: readonly unknown[]): IterableIterator<unknown>
}

/**
 * libsql's `Database` as Kysely's `SqliteDialect` drives it, keeping up to
 * `size` prepared statements by SQL text (least recently used dropped
 * first; 0 keeps none). Kysely's SQLite driver prepares every query again,
 * which is a good part of a short query's cost; a statement run again is
 * only bound and stepped.
 *
 * Why sharing one statement is safe: `all` and `run` step it to its end
 * before they return (libsql is synchronous), so it is never half-read
 * when the next query takes it. `iterate` (Kysely's `stream()`) is read
 * across awaits, so it runs on a statement of its own, never the kept one.
 * A statement that threw is dropped rather than kept in an unknown state.
 *
 * Schema changes need nothing here: libsql prepares with
 * `sqlite3_prepare_v2`, so a kept statement whose tables changed (a
 * migration on this connection, or another process's) is compiled again by
 * SQLite on its next run, with the new columns (tested in
 * `statement-cache.test.ts`). A dropped statement is finalised by libsql
 * when it is garbage collected; libsql has no call to finalise it sooner.
 */
export class StatementCache implements SqliteDatabase {
  readonly #db: LibsqlDatabase
  readonly #size: number
  readonly #kept: RecentlyUsed<CachedStatement>

  constructor(db: LibsqlDatabase, size: number) {
    this.#db = db
    this.#size = size
    this.#kept = new RecentlyUsed(size)
  }

  /** How many statements are kept now (for tests). */
  get kept(): number {
    return this.#kept.size
  }

  prepare(sql: string): SqliteStatement {
    if (this.#size === 0) return new CachedStatement(this.#db, sql, this.#db.prepare(sql), undefined)
    const kept = this.#kept
    const hit = kept.get(sql)
    if (hit) return hit
    const statement = new CachedStatement(this.#db, sql, this.#db.prepare(sql), () => {
      if (kept.peek(sql) === statement) kept.delete(sql)
    })
    kept.set(sql, statement)
    return statement
  }

  close(): void {
    this.#kept.clear()
    this.#db.close()
  }
}

/**
 * One prepared statement, binding booleans as 1 and 0: libsql 0.5 aborts the
 * whole process (a Rust panic, "not yet implemented: bool") on a boolean
 * parameter, where better-sqlite3 throws. SQLite stores booleans as 1 and 0
 * anyway.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean

  constructor(
    private readonly db: LibsqlDatabase,
    private readonly sql: string,
    private readonly statement: LibsqlStatement,
    /** Forget this statement (it threw); undefined when it is not kept. */
    private readonly forget: (() => void) | undefined,
  ) {
    // A native call each time it is read: read once, it does not change.
    this.reader = statement.reader
  }

  all(params: readonly unknown[]): unknown[] {
    try {
      return this.statement.all(bound(params))
    } catch (error) {
      this.forget?.()
      throw error
    }
  }

  run(params: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    try {
      return this.statement.run(bound(params))
    } catch (error) {
      this.forget?.()
      throw error
    }
  }

  iterate(params: readonly unknown[]): IterableIterator<unknown> {
    // Read across awaits: a kept statement could be taken by another query meanwhile.
    const statement = this.forget ? this.db.prepare(this.sql) : this.statement
    return statement.iterate(bound(params))
  }
}

const asInteger = (value: unknown): unknown => (typeof value === 'boolean' ? Number(value) : value)

/** The parameters with booleans as 1 and 0; the same array when there are none (the usual case: no copy). */
function bound(params: readonly unknown[]): readonly unknown[] {
  for (let i = 0; i < params.length; i++) {
    const p = params[i]
    if (typeof p === 'boolean' || Array.isArray(p)) return params.map((v) => (Array.isArray(v) ? v.map(asInteger) : asInteger(v)))
  }
  return params
}
