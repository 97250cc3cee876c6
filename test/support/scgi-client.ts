import type { Socket } from 'node:net'
import { parseCgiResponse } from './fastcgi-client.js'
import { within } from './gateway-wait.js'
import { openSocket } from './raw-http.js'

/** An SCGI header block: each name and value NUL-terminated, in the order given (paths as UTF-8, like the server reads them). */
export function scgiBlock(pairs: ReadonlyArray<readonly [string, string]>): Buffer {
  return Buffer.concat(pairs.flatMap(([n, v]) => [Buffer.from(n, 'latin1'), Buffer.from([0]), Buffer.from(v), Buffer.from([0])]))
}

/** `block` as a netstring: `<length>:<block>,`. */
export function netstring(block: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${block.length}:`), block, Buffer.from(',')])
}

/** The variables of a well-formed request (CONTENT_LENGTH first, as the spec requires), `extra` after them. */
export function scgiPairs(method: string, target: string, body: string | Buffer = '', extra: ReadonlyArray<readonly [string, string]> = []): Array<[string, string]> {
  return [
    ['CONTENT_LENGTH', String(Buffer.byteLength(body))],
    ['SCGI', '1'],
    ['REQUEST_METHOD', method],
    ['REQUEST_URI', target],
    ['SERVER_NAME', 'scgi.test'],
    ['SERVER_PORT', '80'],
    ...extra.map(([n, v]) => [n, v] as [string, string]),
  ]
}

/** A whole SCGI request: the netstring of {@link scgiPairs}, then the body. */
export function scgiRequest(method: string, target: string, body: string | Buffer = '', extra: ReadonlyArray<readonly [string, string]> = []): Buffer {
  return Buffer.concat([netstring(scgiBlock(scgiPairs(method, target, body, extra))), Buffer.from(body)])
}

export interface ScgiExchange {
  /** The CGI status of the answer, NaN when nothing (or no Status line) came back. */
  status: number
  headers: Record<string, string[]>
  body: Buffer
  /** Every byte the server sent. */
  raw: Buffer
  /** The server reset the connection (ECONNRESET) rather than closing it. */
  reset: boolean
}

/**
 * Send raw bytes, each part its own write, then (with `end`) end our side as a
 * web server giving up would; read until the server closes the connection,
 * and parse the CGI response. Fails if the server keeps it open past `timeout`.
 */
export async function scgiExchange(port: number, parts: Buffer[], { end = false, timeout = 5000 } = {}): Promise<ScgiExchange> {
  const socket: Socket = await openSocket(port)
  const chunks: Buffer[] = []
  let reset = false
  socket.on('data', (c: Buffer) => chunks.push(c))
  socket.on('error', (error: NodeJS.ErrnoException) => void (reset ||= error.code === 'ECONNRESET'))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  for (const part of parts) socket.write(part)
  if (end) socket.end()
  try {
    await within(closed, timeout, 'the SCGI server closing the connection')
  } finally {
    socket.destroy()
  }
  const raw = Buffer.concat(chunks)
  return { ...parseCgiResponse(raw), raw, reset }
}
