import { decodeSession, encodeSession, type Orm, type OrmDialect, type SessionData, type SessionStore } from '../../../core/index.js'

export interface SqlStoreOptions {
  /** The table, created by `createTable()`. @default 'dovetail_sessions' */
  table?: string
}

/** The statements for one dialect; `?` placeholders, as `Orm.execute` takes them. */
interface Statements {
  create: string[]
  upsert: string
}

function statementsFor(dialect: OrmDialect, t: string): Statements {
  switch (dialect) {
    case 'sqlite':
      return {
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, data TEXT NOT NULL, expires INTEGER NOT NULL)`,
          `CREATE INDEX IF NOT EXISTS ${t}_expires ON ${t} (expires)`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires`,
      }
    case 'postgresql':
      return {
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id VARCHAR(255) PRIMARY KEY, data TEXT NOT NULL, expires BIGINT NOT NULL)`,
          `CREATE INDEX IF NOT EXISTS ${t}_expires ON ${t} (expires)`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires = excluded.expires`,
      }
    case 'mysql':
    case 'mariadb':
      return {
        // MySQL has no CREATE INDEX IF NOT EXISTS, so the index is part of the table.
        create: [
          `CREATE TABLE IF NOT EXISTS ${t} (id VARCHAR(255) NOT NULL PRIMARY KEY, data LONGTEXT NOT NULL, expires BIGINT NOT NULL, INDEX ${t}_expires (expires)) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        ],
        upsert: `INSERT INTO ${t} (id, data, expires) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE data = VALUES(data), expires = VALUES(expires)`,
      }
  }
}

/**
 * Sessions in a table of the app's database, reached through the ORM slot's
 * `execute`: one row per session (`id`, `data` as JSON, `expires` in ms since
 * the epoch). A write is a single upsert, so concurrent writes of one session
 * never collide on the primary key. Expired rows are never returned and are
 * deleted by `sweep()`.
 *
 * @example
 * const store = new SqlSessionStore(app.resolve(Orm), { table: 'sessions' })
 * await store.createTable()
 */
export class SqlSessionStore implements SessionStore {
  readonly table: string
  readonly #orm: Orm
  readonly #sql: Statements

  constructor(orm: Orm, options: SqlStoreOptions = {}) {
    this.#orm = orm
    this.table = options.table ?? 'dovetail_sessions'
    this.#sql = statementsFor(orm.dialect, this.table)
  }

  /** Create the table and its index on `expires` if they are missing. */
  async createTable(): Promise<void> {
    for (const statement of this.#sql.create) await this.#orm.execute(statement)
  }

  async get(id: string): Promise<SessionData | undefined> {
    const [row] = await this.#orm.execute<{ data: string }>(`SELECT data FROM ${this.table} WHERE id = ? AND expires > ?`, [id, Date.now()])
    return decodeSession(row?.data)
  }

  async set(id: string, data: SessionData, ttl: number): Promise<void> {
    await this.#orm.execute(this.#sql.upsert, [id, encodeSession(data), Date.now() + Math.ceil(ttl)])
  }

  async destroy(id: string): Promise<void> {
    await this.#orm.execute(`DELETE FROM ${this.table} WHERE id = ?`, [id])
  }

  async touch(id: string, ttl: number): Promise<void> {
    const now = Date.now()
    await this.#orm.execute(`UPDATE ${this.table} SET expires = ? WHERE id = ? AND expires > ?`, [now + Math.ceil(ttl), id, now])
  }

  /** Delete every expired row. */
  async sweep(): Promise<void> {
    await this.#orm.execute(`DELETE FROM ${this.table} WHERE expires <= ?`, [Date.now()])
  }
}
