/** node:http with MikroORM and eta, no framework: the MikroORM group's baseline. */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { announce } from '../bench-routes.js'
import { dbTarget, HTML_TYPE, JSON_TYPE, queryCount, worldJson, worldsJson } from '../db/world.js'
import { benchEta } from './db-eta.js'
import { openMikroOrm } from './db-mikro-init.js'
import { mikroDb, mikroFortunes, mikroQueries, mikroUpdates } from './db-mikro-handlers.js'

const target = dbTarget()
const orm = await openMikroOrm(target)
const eta = benchEta(target.views)

const send = (res: ServerResponse, type: string, body: string) => {
  res.writeHead(200, { 'content-type': type, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const em = orm.em.fork()
  const answer = async () => {
    switch (url.pathname) {
      case '/db':
        return send(res, JSON_TYPE, worldJson(await mikroDb(em)))
      case '/queries':
        return send(res, JSON_TYPE, worldsJson(await mikroQueries(em, queryCount(url.searchParams.get('q')))))
      case '/fortunes':
        return send(res, HTML_TYPE, await eta.renderAsync('fortunes', { fortunes: await mikroFortunes(em) }))
      case '/updates':
        return send(res, JSON_TYPE, worldsJson(await mikroUpdates(em, queryCount(url.searchParams.get('q')))))
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
