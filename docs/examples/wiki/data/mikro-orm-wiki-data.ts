import type { SqlEntityManager } from '@mikro-orm/knex'
import { Page as PageEntity, Revision as RevisionEntity, User as UserEntity } from '../models/index.js'
import type { Edit, Page, Revision, User, WikiData } from './wiki-data.js'

/** The newest revision of every page: revision ids only grow, so the newest is the highest id per page. */
const latestIds = 'select max(id) from wiki_revision group by page_id'

/**
 * The wiki's data on MikroORM: the entities in `models/`, on a request's
 * `EntityManager`. New pages and revisions are created as pending entities;
 * the transaction middleware flushes and commits a POST that succeeds (the
 * seed commits its own unit of work).
 */
export class MikroOrmWikiData implements WikiData {
  readonly #em: SqlEntityManager

  constructor(em: SqlEntityManager) {
    this.#em = em
  }

  async findPage(slug: string): Promise<Page | undefined> {
    return (await this.#em.findOne(PageEntity, { slug })) ?? undefined
  }

  async latest(page: Page): Promise<Revision | undefined> {
    return (await this.#em.findOne(RevisionEntity, { page: page.id }, { orderBy: { number: 'desc' }, populate: ['author'] })) ?? undefined
  }

  async revision(page: Page, number: number): Promise<Revision | undefined> {
    return (await this.#em.findOne(RevisionEntity, { page: page.id, number }, { populate: ['author'] })) ?? undefined
  }

  history(page: Page): Promise<Revision[]> {
    return this.#em.find(RevisionEntity, { page: page.id }, { orderBy: { number: 'desc' }, populate: ['author'] })
  }

  async latestRevisions(options: { matching?: string; limit?: number } = {}): Promise<Revision[]> {
    const { matching, limit } = options
    const rows = await this.#em.execute<Array<Record<string, unknown>>>(
      matching === undefined
        ? latestIds
        : `select r.id from wiki_revision r join wiki_page p on p.id = r.page_id
           where r.id in (${latestIds})
             and (lower(p.title) like ? escape '!' or lower(r.body) like ? escape '!')`,
      matching === undefined ? [] : [matching, matching],
    )
    const ids = rows.map((r) => Number(Object.values(r)[0]))
    if (!ids.length) return []
    return this.#em.find(RevisionEntity, { id: { $in: ids } }, { populate: ['page', 'author'], orderBy: { page: { title: 'asc' } }, ...(limit ? { limit } : {}) })
  }

  recentChanges(limit: number): Promise<Revision[]> {
    return this.#em.find(RevisionEntity, {}, { orderBy: { id: 'desc' }, limit, populate: ['page', 'author'] })
  }

  async existing(slugs: readonly string[]): Promise<Set<string>> {
    if (!slugs.length) return new Set()
    const pages = await this.#em.find(PageEntity, { slug: { $in: [...slugs] } }, { fields: ['slug'] })
    return new Set(pages.map((p) => p.slug))
  }

  async clash(slug: string, title: string): Promise<Page | undefined> {
    return (await this.#em.findOne(PageEntity, { $or: [{ slug }, { title }] })) ?? undefined
  }

  async createPage(slug: string, title: string, edit: Edit): Promise<void> {
    const page = this.#em.create(PageEntity, { slug, title })
    this.#em.create(RevisionEntity, { page, number: 1, body: edit.body, comment: edit.comment, author: this.#em.getReference(UserEntity, edit.author.id) })
  }

  async addRevision(page: Page, number: number, edit: Edit): Promise<void> {
    this.#em.create(RevisionEntity, {
      page: this.#em.getReference(PageEntity, page.id),
      number,
      body: edit.body,
      comment: edit.comment,
      author: this.#em.getReference(UserEntity, edit.author.id),
    })
  }

  async userById(id: number): Promise<User | undefined> {
    return (await this.#em.findOne(UserEntity, { id })) ?? undefined
  }

  async userByName(username: string): Promise<User | undefined> {
    return (await this.#em.findOne(UserEntity, { username })) ?? undefined
  }

  async createUser(user: Omit<User, 'id'>): Promise<User> {
    const created = this.#em.create(UserEntity, user)
    // The id is the database's: written now, inside the unit of work's transaction.
    await this.#em.flush()
    return created
  }

  async setPasswordHash(user: User, passwordHash: string): Promise<void> {
    const entity = await this.#em.findOneOrFail(UserEntity, { id: user.id })
    entity.passwordHash = passwordHash
  }
}
