/** The two TechEmpower tables as MikroORM entities, shared by every MikroORM server. */
import { defineEntity } from '@mikro-orm/core'
import { FORTUNE_TABLE, WORLD_TABLE } from '../db/world.js'

export const WorldEntity = defineEntity({
  name: 'World',
  tableName: WORLD_TABLE,
  properties: (p) => ({
    id: p.integer().primary(),
    randomNumber: p.integer(),
  }),
})

export const FortuneEntity = defineEntity({
  name: 'Fortune',
  tableName: FORTUNE_TABLE,
  properties: (p) => ({
    id: p.integer().primary(),
    message: p.string().length(2048),
  }),
})
