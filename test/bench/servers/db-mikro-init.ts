/** MikroORM opened directly (no Dovetail), as the node:http and Fastify servers use it. */
import { MikroORM } from '@mikro-orm/core'
import type { DbTarget } from '../db/world.js'
import { FortuneEntity, WorldEntity } from './db-mikro-entities.js'

export async function openMikroOrm(target: DbTarget): Promise<MikroORM> {
  const driver =
    target.dialect === 'sqlite' ? (await import('@mikro-orm/libsql')).LibSqlDriver : (await import('@mikro-orm/postgresql')).PostgreSqlDriver
  return MikroORM.init({
    driver,
    ...(target.dialect === 'sqlite' ? { dbName: target.url } : { clientUrl: target.url }),
    entities: [WorldEntity, FortuneEntity],
    discovery: { warnWhenNoEntities: false },
    allowGlobalContext: false,
    // SQLite keeps MikroORM's one connection, as in servers/dovetail-db.ts.
    ...(target.dialect === 'postgresql' ? { pool: { min: 2, max: target.pool } } : {}),
  } as never)
}
