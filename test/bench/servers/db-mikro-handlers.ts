/**
 * The four routes on a MikroORM EntityManager (a fork per request), shared by
 * the node:http and Fastify MikroORM servers so both run the same data code as
 * the Dovetail one (servers/dovetail-db.ts).
 */
import type { EntityManager } from '@mikro-orm/core'
import { fortunesToRender, randomId, type World } from '../db/world.js'
import { FortuneEntity, WorldEntity } from './db-mikro-entities.js'

export const mikroDb = async (em: EntityManager): Promise<World> => (await em.findOneOrFail(WorldEntity, randomId())) as World

export const mikroQueries = (em: EntityManager, count: number): Promise<World[]> =>
  Promise.all(Array.from({ length: count }, () => em.findOneOrFail(WorldEntity, randomId()) as Promise<World>))

export const mikroFortunes = async (em: EntityManager) => fortunesToRender(await em.findAll(FortuneEntity))

export async function mikroUpdates(em: EntityManager, count: number): Promise<World[]> {
  const worlds = await mikroQueries(em, count)
  for (const w of worlds) w.randomNumber = randomId()
  await em.flush()
  return worlds
}
