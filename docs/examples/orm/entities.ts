import { defineEntity, type InferEntity } from '@mikro-orm/core'

/** A shelf holds books: the "one" side of a one-to-many relation. */
export const Shelf = defineEntity({
  name: 'Shelf',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100),
    // A function, so Shelf and Book may refer to each other.
    books: () => p.oneToMany(Book).mappedBy('shelf'),
  }),
})

/** A book: its ISBN is unique, so a second book with the same one answers 409. */
export const Book = defineEntity({
  name: 'Book',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    isbn: p.string().length(20).unique(),
    title: p.string().length(200),
    shelf: () => p.manyToOne(Shelf),
  }),
})

export type Shelf = InferEntity<typeof Shelf>
export type Book = InferEntity<typeof Book>
