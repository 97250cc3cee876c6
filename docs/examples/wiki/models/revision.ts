import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { Page } from './page.js'
import { User } from './user.js'

/**
 * One saved version of a page. Every save adds a revision and none is ever
 * changed, so the history is complete. `number` counts from 1 per page, and
 * (page, number) is unique: of two edits saved at once from the same base,
 * one wins and the other gets a conflict instead of a silent overwrite.
 */
export const Revision = defineEntity({
  name: 'Revision',
  tableName: 'wiki_revision',
  uniques: [{ properties: ['page', 'number'], name: 'wiki_revision_page_number_unique' }],
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    page: () => p.manyToOne(Page),
    number: p.integer(),
    body: p.text(),
    comment: p.string().length(200).default(''),
    author: () => p.manyToOne(User),
    created: p.datetime().onCreate(() => new Date()),
  }),
})

export type Revision = InferEntity<typeof Revision>
