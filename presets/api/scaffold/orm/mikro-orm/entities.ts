import { defineEntity, type InferEntity } from '@mikro-orm/core'

/** A note: the sample entity. Its table is made by the migration in ./migrations. */
export const Note = defineEntity({
  name: 'Note',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    text: p.string().length(500),
  }),
})

export type Note = InferEntity<typeof Note>
