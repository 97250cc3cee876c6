import { defineEntity, type InferEntity } from '@mikro-orm/core'

/**
 * A wiki account. Only the password's scrypt hash is stored (made by the
 * auth middleware's `hashPassword`); usernames are unique.
 */
export const User = defineEntity({
  name: 'User',
  tableName: 'wiki_user',
  properties: (p) => ({
    id: p.integer().primary().autoincrement(),
    username: p.string().length(50).unique(),
    passwordHash: p.string().length(200),
    isAdmin: p.boolean().default(false),
    created: p.datetime().onCreate(() => new Date()),
  }),
})

export type User = InferEntity<typeof User>
