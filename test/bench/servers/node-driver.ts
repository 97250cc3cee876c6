/**
 * The ceiling: node:http with the database driver alone (pg's Pool with named
 * prepared statements; libsql's prepared statements) and the same eta
 * template. No framework, no query builder.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Database from 'libsql'
import pg from 'pg'
import { announce } from '../bench-routes.js'
import {
  dbTarget,
  type Fortune,
  FORTUNE_TABLE,
  fortunesToRender,
  HTML_TYPE,
  JSON_TYPE,
  queryCount,
  randomId,
  updateRows,
  type World,
  WORLD_TABLE,
  worldJson,
  worldsJson,
} from '../db/world.js'
import { benchEta } from './db-eta.js'

const target = dbTarget()
const eta = benchEta(target.views)

interface Driver {
  world(id: number): Promise<World>
  fortunes(): Promise<Fortune[]>
  update(rows: readonly World[]): Promise<void>
}

const SELECT_WORLD = `SELECT id, random_number AS "randomNumber" FROM ${WORLD_TABLE} WHERE id = `
const SELECT_FORTUNES = `SELECT id, message FROM ${FORTUNE_TABLE}`
const updateSql = (n: number, param: (i: number) => string) =>
  `WITH v(id, r) AS (VALUES ${Array.from({ length: n }, (_, i) => `(${param(2 * i)}, ${param(2 * i + 1)})`).join(', ')}) ` +
  `UPDATE ${WORLD_TABLE} SET random_number = v.r FROM v WHERE ${WORLD_TABLE}.id = v.id`

function postgres(): Driver {
  const pool = new pg.Pool({ connectionString: target.url, max: target.pool })
  return {
    world: async (id) => (await pool.query<World>({ name: 'world', text: `${SELECT_WORLD}$1`, values: [id] })).rows[0]!,
    fortunes: async () => (await pool.query<Fortune>({ name: 'fortunes', text: SELECT_FORTUNES })).rows,
    update: async (rows) => {
      await pool.query({ name: `update${rows.length}`, text: updateSql(rows.length, (i) => `$${i + 1}::int`), values: rows.flatMap((w) => [w.id, w.randomNumber]) })
    },
  }
}

function sqlite(): Driver {
  const db = new Database(target.url)
  const world = db.prepare(`${SELECT_WORLD}?`)
  const fortunes = db.prepare(SELECT_FORTUNES)
  const updates = new Map<number, ReturnType<typeof db.prepare>>()
  return {
    world: async (id) => world.get(id) as World,
    fortunes: async () => fortunes.all() as Fortune[],
    update: async (rows) => {
      let statement = updates.get(rows.length)
      if (!statement) updates.set(rows.length, (statement = db.prepare(updateSql(rows.length, () => '?'))))
      statement.run(rows.flatMap((w) => [w.id, w.randomNumber]))
    },
  }
}

const driver = target.dialect === 'sqlite' ? sqlite() : postgres()
const worlds = (count: number) => Promise.all(Array.from({ length: count }, () => driver.world(randomId())))

const send = (res: ServerResponse, type: string, body: string) => {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const answer = async () => {
    switch (url.pathname) {
      case '/db':
        return send(res, JSON_TYPE, worldJson(await driver.world(randomId())))
      case '/queries':
        return send(res, JSON_TYPE, worldsJson(await worlds(queryCount(url.searchParams.get('q')))))
      case '/fortunes':
        return send(res, HTML_TYPE, await eta.renderAsync('fortunes', { fortunes: fortunesToRender(await driver.fortunes()) }))
      case '/updates': {
        const list = await worlds(queryCount(url.searchParams.get('q')))
        for (const w of list) w.randomNumber = randomId()
        await driver.update(updateRows(list))
        return send(res, JSON_TYPE, worldsJson(list))
      }
      default:
        res.writeHead(404).end()
    }
  }
  answer().catch((error: unknown) => {
    process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`)
    res.writeHead(500).end()
  })
})
server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port))
