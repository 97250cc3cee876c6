import { token, type UnitOfWork } from 'dovetailjs'

/** A wiki account: only the password's scrypt hash is kept. */
export interface User {
  id: number
  username: string
  passwordHash: string
  isAdmin: boolean
}

/** A page: its address and title, both unique; the text lives in its revisions. */
export interface Page {
  id: number
  slug: string
  title: string
}

/** One saved version of a page, with its page and author loaded. */
export interface Revision {
  id: number
  number: number
  body: string
  comment: string
  created: Date
  page: Page
  author: User
}

/** What an author sends when saving a page. */
export interface Edit {
  body: string
  comment: string
  author: User
}

/**
 * Everything the wiki reads and writes, in the wiki's own terms: the one
 * place that knows the ORM. Two implementations, chosen by the config's
 * `orm` setting: `MikroOrmWikiData` (entities, changes flushed by the
 * transaction middleware) and `KyselyWikiData` (SQL written at once, in the
 * request's transaction). The services, controllers and templates see only
 * these plain records, so they are the same on either.
 */
export interface WikiData {
  findPage(slug: string): Promise<Page | undefined>
  /** The page's newest revision. */
  latest(page: Page): Promise<Revision | undefined>
  revision(page: Page, number: number): Promise<Revision | undefined>
  /** Every revision of a page, newest first. */
  history(page: Page): Promise<Revision[]>
  /**
   * The newest revision of every page, with its page and author, by page
   * title; with `matching` (a `LIKE` pattern, lower case, escaped with `!`),
   * only those whose title or text contains it, case-insensitively.
   */
  latestRevisions(options?: { matching?: string; limit?: number }): Promise<Revision[]>
  /** The latest saves across the wiki, newest first. */
  recentChanges(limit: number): Promise<Revision[]>
  /** Which of these addresses are pages. */
  existing(slugs: readonly string[]): Promise<Set<string>>
  /** A page with this address or this title, if there is one. */
  clash(slug: string, title: string): Promise<Page | undefined>
  /** A new page with its first revision. */
  createPage(slug: string, title: string, edit: Edit): Promise<void>
  /** A new revision of a page. */
  addRevision(page: Page, number: number, edit: Edit): Promise<void>
  userById(id: number): Promise<User | undefined>
  userByName(username: string): Promise<User | undefined>
  createUser(user: Omit<User, 'id'>): Promise<User>
  setPasswordHash(user: User, passwordHash: string): Promise<void>
}

/** This request's {@link WikiData} (scoped: it works on the request's unit of work). */
export const WikiData = token<WikiData>('WikiData')

/** Makes a {@link WikiData} on a unit of work (a request's `Db`, or a fork for the seed). */
export type WikiDataOn = (unitOfWork: UnitOfWork) => WikiData

/** The app's {@link WikiDataOn} (singleton), for code outside a request. */
export const WikiDataOn = token<WikiDataOn>('WikiDataOn')

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '!'` (the same in SQLite, PostgreSQL and MySQL). */
export const likeEscaped = (text: string): string => text.replace(/[!%_]/g, (c) => `!${c}`)
