/**
 * Kysely on the benchmark's tables: the database (libsql through Kysely's
 * SQLite dialect, pg's Pool through its PostgreSQL dialect) and the four
 * routes' queries, used by the Fastify+Kysely server.
 */
import Database from 'libsql'
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely'
import pg from 'pg'
import { type DbTarget, FORTUNE_TABLE, fortunesToRender, randomId, updateRows, type World, WORLD_TABLE } from '../db/world.js'

export interface BenchTables {
  bench_world: { id: number; random_number: number }
  bench_fortune: { id: number; message: string }
}

export function openKysely(target: DbTarget): Kysely<BenchTables> {
  const dialect =
    target.dialect === 'sqlite'
      ? new SqliteDialect({ database: new Database(target.url) as never })
      : new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: target.pool }) })
  return new Kysely<BenchTables>({ dialect })
}

const findWorld = async (db: Kysely<BenchTables>): Promise<World> => {
  const row = await db.selectFrom(WORLD_TABLE).select(['id', 'random_number as randomNumber']).where('id', '=', randomId()).executeTakeFirstOrThrow()
  return row
}

export const kyselyDb = findWorld
export const kyselyQueries = (db: Kysely<BenchTables>, count: number): Promise<World[]> =>
  Promise.all(Array.from({ length: count }, () => findWorld(db)))
export const kyselyFortunes = async (db: Kysely<BenchTables>) =>
  fortunesToRender(await db.selectFrom(FORTUNE_TABLE).select(['id', 'message']).execute())

/** One `WITH v AS (VALUES ...) UPDATE ... FROM v` for the whole batch, on both dialects. */
export async function kyselyUpdates(db: Kysely<BenchTables>, count: number, dialect: DbTarget['dialect']): Promise<World[]> {
  const worlds = await kyselyQueries(db, count)
  for (const w of worlds) w.randomNumber = randomId()
  const rows = updateRows(worlds)
  const cast = dialect === 'postgresql' ? sql`::int` : sql``
  const values = sql.join(rows.map((w) => sql`(${w.id}${cast}, ${w.randomNumber}${cast})`))
  await sql`WITH v(id, r) AS (VALUES ${values}) UPDATE ${sql.table(WORLD_TABLE)} SET random_number = v.r FROM v WHERE ${sql.table(WORLD_TABLE)}.id = v.id`.execute(db)
  return worlds
}
