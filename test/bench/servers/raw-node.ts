/**
 * The baseline: node:http with hand-written handlers and no framework. Every
 * ratio in the table is against this server.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { announce, PLAINTEXT } from '../bench-routes.js'

const TEXT = 'text/plain; charset=utf-8'
const JSON_TYPE = 'application/json; charset=utf-8'

const server = createServer((req, res) => {
  const url = req.url ?? '/'
  if (url === '/plaintext') {
    res.writeHead(200, { 'content-type': TEXT, 'content-length': Buffer.byteLength(PLAINTEXT) })
    res.end(PLAINTEXT)
    return
  }
  if (url === '/json') {
    // Serialized per request, as a framework's ctx.json would.
    const body = JSON.stringify({ message: 'Hello, World!' })
    res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(body) })
    res.end(body)
    return
  }
  const parts = url.split('/')
  // ['', 'users', id, 'posts', postId]
  if (parts.length === 5 && parts[1] === 'users' && parts[3] === 'posts' && parts[2] && parts[4]) {
    const body = `user ${decodeURIComponent(parts[2])}, post ${decodeURIComponent(parts[4])}`
    res.writeHead(200, { 'content-type': TEXT, 'content-length': Buffer.byteLength(body) })
    res.end(body)
    return
  }
  res.writeHead(404, { 'content-type': TEXT, 'content-length': 9 })
  res.end('Not Found')
})

server.listen(0, '127.0.0.1', () => announce((server.address() as AddressInfo).port))
