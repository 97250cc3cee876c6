import { type Generated, sql } from 'kysely'
import type { KyselyWork } from 'dovetailjs/components/orm/kysely'
import type { Edit, Page, Revision, User, WikiData } from './wiki-data.js'

/** The wiki's tables as Kysely types them (migrations-kysely/ creates them). */
export interface WikiTables {
  wiki_user: { id: Generated<number>; username: string; password_hash: string; is_admin: boolean | number; created: Date | number | string }
  wiki_page: { id: Generated<number>; slug: string; title: string; created: Date | number | string }
  wiki_revision: {
    id: Generated<number>
    page_id: number
    number: number
    body: string
    comment: string
    author_id: number
    created: Date | number | string
  }
}

/** A date as the driver gives it back: pg and mysql2 a Date, libsql the number of milliseconds written. */
const toDate = (value: Date | number | string): Date => (value instanceof Date ? value : new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value))

/**
 * The wiki's data on Kysely: SQL, written at once on the request's unit of
 * work (in its transaction when the transaction middleware began one). Dates
 * are written as a `Date` where the driver takes one, and as milliseconds on
 * SQLite, which has no date type.
 */
export class KyselyWikiData implements WikiData {
  readonly #db: KyselyWork<WikiTables>
  readonly #now: () => Date | number

  constructor(db: KyselyWork<any>, sqlite: boolean) {
    this.#db = db as KyselyWork<WikiTables>
    this.#now = sqlite ? () => Date.now() : () => new Date()
  }

  /** Revisions with their page and author, as one select the callers narrow. */
  #revisions() {
    return this.#db
      .selectFrom('wiki_revision as r')
      .innerJoin('wiki_page as p', 'p.id', 'r.page_id')
      .innerJoin('wiki_user as u', 'u.id', 'r.author_id')
      .select([
        'r.id', 'r.number', 'r.body', 'r.comment', 'r.created',
        'p.id as page_id', 'p.slug', 'p.title',
        'u.id as author_id', 'u.username', 'u.password_hash', 'u.is_admin',
      ])
  }

  async findPage(slug: string): Promise<Page | undefined> {
    return this.#db.selectFrom('wiki_page').select(['id', 'slug', 'title']).where('slug', '=', slug).executeTakeFirst()
  }

  async latest(page: Page): Promise<Revision | undefined> {
    const row = await this.#revisions().where('r.page_id', '=', page.id).orderBy('r.number', 'desc').limit(1).executeTakeFirst()
    return row && revisionOf(row)
  }

  async revision(page: Page, number: number): Promise<Revision | undefined> {
    const row = await this.#revisions().where('r.page_id', '=', page.id).where('r.number', '=', number).executeTakeFirst()
    return row && revisionOf(row)
  }

  async history(page: Page): Promise<Revision[]> {
    return (await this.#revisions().where('r.page_id', '=', page.id).orderBy('r.number', 'desc').execute()).map(revisionOf)
  }

  async latestRevisions(options: { matching?: string; limit?: number } = {}): Promise<Revision[]> {
    const { matching, limit } = options
    let query = this.#revisions().where('r.id', 'in', this.#db.selectFrom('wiki_revision').select((eb) => eb.fn.max('id').as('id')).groupBy('page_id'))
    // LIKE … ESCAPE has no builder method; the pattern is still a bound parameter.
    if (matching !== undefined) query = query.where(sql<boolean>`(lower(p.title) like ${matching} escape '!' or lower(r.body) like ${matching} escape '!')`)
    const rows = await query.orderBy('p.title').$if(limit !== undefined, (q) => q.limit(limit!)).execute()
    return rows.map(revisionOf)
  }

  async recentChanges(limit: number): Promise<Revision[]> {
    return (await this.#revisions().orderBy('r.id', 'desc').limit(limit).execute()).map(revisionOf)
  }

  async existing(slugs: readonly string[]): Promise<Set<string>> {
    if (!slugs.length) return new Set()
    const rows = await this.#db.selectFrom('wiki_page').select('slug').where('slug', 'in', [...slugs]).execute()
    return new Set(rows.map((r) => r.slug))
  }

  async clash(slug: string, title: string): Promise<Page | undefined> {
    return this.#db
      .selectFrom('wiki_page')
      .select(['id', 'slug', 'title'])
      .where((eb) => eb.or([eb('slug', '=', slug), eb('title', '=', title)]))
      .executeTakeFirst()
  }

  async createPage(slug: string, title: string, edit: Edit): Promise<void> {
    await this.#db.insertInto('wiki_page').values({ slug, title, created: this.#now() }).execute()
    const page = (await this.findPage(slug))!
    await this.addRevision(page, 1, edit)
  }

  async addRevision(page: Page, number: number, edit: Edit): Promise<void> {
    await this.#db
      .insertInto('wiki_revision')
      .values({ page_id: page.id, number, body: edit.body, comment: edit.comment, author_id: edit.author.id, created: this.#now() })
      .execute()
  }

  async userById(id: number): Promise<User | undefined> {
    const row = await this.#db.selectFrom('wiki_user').select(['id', 'username', 'password_hash', 'is_admin']).where('id', '=', id).executeTakeFirst()
    return row && userOf(row)
  }

  async userByName(username: string): Promise<User | undefined> {
    const row = await this.#db.selectFrom('wiki_user').select(['id', 'username', 'password_hash', 'is_admin']).where('username', '=', username).executeTakeFirst()
    return row && userOf(row)
  }

  async createUser(user: Omit<User, 'id'>): Promise<User> {
    await this.#db
      .insertInto('wiki_user')
      .values({ username: user.username, password_hash: user.passwordHash, is_admin: user.isAdmin, created: this.#now() })
      .execute()
    return (await this.userByName(user.username))!
  }

  async setPasswordHash(user: User, passwordHash: string): Promise<void> {
    await this.#db.updateTable('wiki_user').set({ password_hash: passwordHash }).where('id', '=', user.id).execute()
  }
}

const userOf = (row: { id: number; username: string; password_hash: string; is_admin: boolean | number }): User => ({
  id: Number(row.id),
  username: row.username,
  passwordHash: row.password_hash,
  isAdmin: Boolean(row.is_admin),
})

interface RevisionRow {
  id: number
  number: number
  body: string
  comment: string
  created: Date | number | string
  page_id: number
  slug: string
  title: string
  author_id: number
  username: string
  password_hash: string
  is_admin: boolean | number
}

const revisionOf = (row: RevisionRow): Revision => ({
  id: Number(row.id),
  number: Number(row.number),
  body: row.body,
  comment: row.comment,
  created: toDate(row.created),
  page: { id: Number(row.page_id), slug: row.slug, title: row.title },
  author: userOf({ id: row.author_id, username: row.username, password_hash: row.password_hash, is_admin: row.is_admin }),
})
