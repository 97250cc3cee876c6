import type { Revision } from '../data/wiki-data.js'

/** A date as templates show it: `2025-06-01 14:05 UTC`, and the ISO form for `<time datetime>`. */
export const when = (date: Date): { when: string; iso: string } => ({
  when: `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  iso: date.toISOString(),
})

/**
 * A revision as the templates need it: plain values only, the same for eta
 * and nunjucks, with nothing the template could use to reach the database.
 * The author must be loaded (`populate: ['author']`).
 */
export const revisionView = (r: Revision) => ({
  number: r.number,
  author: r.author.username,
  comment: r.comment,
  ...when(r.created),
})

/** The same, with its page (loaded) for lists across pages. */
export const changeView = (r: Revision) => ({ ...revisionView(r), slug: r.page.slug, title: r.page.title })
