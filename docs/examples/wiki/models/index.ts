import { Page } from './page.js'
import { Revision } from './revision.js'
import { User } from './user.js'

export { Page, Revision, User }

/** Every entity of the wiki, for the ORM component's `entities` option. */
export const entities = [User, Page, Revision]
