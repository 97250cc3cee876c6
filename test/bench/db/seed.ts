/**
 * Create and fill the benchmark's tables (run.ts, before each server's check),
 * so every server starts from the same rows and the check can recompute them.
 */
import Database from 'libsql'
import pg from 'pg'
import { FORTUNE_TABLE, FORTUNES, seededNumber, WORLD_ROWS, WORLD_TABLE } from './world.js'

const ddl = [
  `CREATE TABLE IF NOT EXISTS ${WORLD_TABLE} (id integer PRIMARY KEY, random_number integer NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS ${FORTUNE_TABLE} (id integer PRIMARY KEY, message varchar(2048) NOT NULL)`,
]

export async function seedPostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    for (const statement of ddl) await client.query(statement)
    await client.query('BEGIN')
    await client.query(`DELETE FROM ${WORLD_TABLE}`)
    await client.query(`DELETE FROM ${FORTUNE_TABLE}`)
    await client.query(
      `INSERT INTO ${WORLD_TABLE} (id, random_number) SELECT i, ((i * 7919) % ${WORLD_ROWS}) + 1 FROM generate_series(1, ${WORLD_ROWS}) AS i`,
    )
    for (const [i, message] of FORTUNES.entries()) await client.query(`INSERT INTO ${FORTUNE_TABLE} (id, message) VALUES ($1, $2)`, [i + 1, message])
    await client.query('COMMIT')
    await client.query(`VACUUM ANALYZE ${WORLD_TABLE}`)
  } finally {
    await client.end()
  }
}

export function seedSqlite(file: string): void {
  const db = new Database(file)
  try {
    db.exec('PRAGMA journal_mode = WAL')
    for (const statement of ddl) db.exec(statement)
    const world = db.prepare(`INSERT INTO ${WORLD_TABLE} (id, random_number) VALUES (?, ?)`)
    const fortune = db.prepare(`INSERT INTO ${FORTUNE_TABLE} (id, message) VALUES (?, ?)`)
    db.transaction(() => {
      db.exec(`DELETE FROM ${WORLD_TABLE}`)
      db.exec(`DELETE FROM ${FORTUNE_TABLE}`)
      for (let id = 1; id <= WORLD_ROWS; id++) world.run(id, seededNumber(id))
      for (const [i, message] of FORTUNES.entries()) fortune.run(i + 1, message)
    })()
  } finally {
    db.close()
  }
}
