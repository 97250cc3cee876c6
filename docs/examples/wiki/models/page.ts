import { defineEntity, type InferEntity } from '@mikro-orm/core'
import { Revision } from './revision.js'

/**
 * A wiki page: its address (`slug`, as in `/pages/FrontPage`) and title, both
 * unique. The text lives in its revisions; the newest one is the page.
 */
export const Page = defineEntity({
  name: 'Page',
  tableName: 'wiki_page',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    slug: p.string().length(100).unique(),
    title: p.string().length(200).unique(),
    created: p.datetime().onCreate(() => new Date()),
    revisions: () => p.oneToMany(Revision).mappedBy('page'),
  }),
})

export type Page = InferEntity<typeof Page>
