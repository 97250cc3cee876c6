import { request as httpRequest } from 'node:http'
import { connect, type Socket } from 'node:net'

/** What came back on a raw socket: the status line's code, headers (lower-case, repeated ones joined by '\n'), body. */
export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
  raw: string
}

/** Open a TCP connection and resolve once it is connected. */
export function openSocket(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host)
    socket.once('connect', () => {
      socket.off('error', reject)
      resolve(socket)
    })
    socket.once('error', reject)
  })
}

/** Everything the server sends until it closes the connection. */
export function readUntilClosed(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => (data += chunk))
    socket.once('close', () => resolve(data))
    socket.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? resolve(data) : reject(error)))
  })
}

export function parseRaw(raw: string): RawResponse {
  const end = raw.indexOf('\r\n\r\n')
  const [statusLine = '', ...lines] = raw.slice(0, end < 0 ? raw.length : end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    const name = line.slice(0, colon).trim().toLowerCase()
    const value = line.slice(colon + 1).trim()
    headers[name] = name in headers ? `${headers[name]}\n${value}` : value
  }
  const body = end < 0 ? '' : raw.slice(end + 4)
  return { status: Number(statusLine.split(' ')[1]), headers, body: headers['transfer-encoding'] === 'chunked' ? dechunk(body) : body, raw }
}

function dechunk(body: string): string {
  let out = ''
  let at = 0
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at)
    if (lineEnd < 0) return out
    const size = parseInt(body.slice(at, lineEnd), 16)
    if (!(size > 0)) return out
    out += body.slice(lineEnd + 2, lineEnd + 2 + size)
    at = lineEnd + 2 + size + 2
  }
}

/**
 * Send bytes exactly as given (no client library to tidy them up) and read the
 * response until the server closes the connection. Add `Connection: close`
 * yourself when the server would otherwise keep it open.
 */
export async function rawRequest(port: number, bytes: string): Promise<RawResponse> {
  const socket = await openSocket(port)
  const done = readUntilClosed(socket)
  socket.write(bytes)
  return parseRaw(await done)
}

/** A promise with its resolve function outside, to hold a handler until the test lets it go. */
export function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void
  const promise = new Promise<T>((resolve) => (open = resolve))
  return { promise, open }
}

/**
 * POST `total` bytes in 16 KiB chunks of `fill` with backpressure, through node:http (chunked unless
 * `headers` declare a content-length); resolve with the status and body of the answer.
 */
export function pushBody(url: string, total: number, headers: Record<string, string> = {}, fill = 0x61): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers })
    req.on('response', (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.on('error', reject)
    const chunk = Buffer.alloc(16 * 1024, fill)
    let sent = 0
    const pump = () => {
      while (sent < total) {
        sent += chunk.byteLength
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      req.end()
    }
    pump()
  })
}
