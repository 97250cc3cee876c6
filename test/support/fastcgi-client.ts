import { connect, type Socket } from 'node:net'
import {
  decodePairs,
  encodePairs,
  encodeRecord,
  encodeStream,
  headerLength,
  keepConnFlag,
  RecordType,
  Role,
} from '../../components/server/fastcgi/records.js'

export interface FastCgiRecord {
  type: number
  requestId: number
  content: Buffer
}

export interface FastCgiAnswer {
  status: number
  headers: Record<string, string[]>
  body: Buffer
  protocolStatus: number
}

/**
 * A bare FastCGI client, playing the web server's part byte by byte, for the
 * protocol cases nginx never exercises (multiplexing, GET_VALUES, aborts,
 * malformed input).
 */
export class FastCgiClient {
  readonly socket: Socket
  readonly records: FastCgiRecord[] = []
  readonly closed: Promise<void>
  #buffer = Buffer.alloc(0)
  #listeners: Array<() => void> = []

  private constructor(socket: Socket) {
    this.socket = socket
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk])
      while (this.#buffer.length >= headerLength) {
        const contentLength = this.#buffer.readUInt16BE(4)
        const end = headerLength + contentLength + this.#buffer[6]!
        if (this.#buffer.length < end) break
        this.records.push({ type: this.#buffer[1]!, requestId: this.#buffer.readUInt16BE(2), content: this.#buffer.subarray(headerLength, headerLength + contentLength) })
        this.#buffer = this.#buffer.subarray(end)
      }
      for (const listener of this.#listeners.splice(0)) listener()
    })
    socket.on('error', () => {})
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    void this.closed.then(() => {
      for (const listener of this.#listeners.splice(0)) listener()
    })
  }

  static open(target: number | string): Promise<FastCgiClient> {
    return new Promise((resolve, reject) => {
      const socket = typeof target === 'number' ? connect(target, '127.0.0.1') : connect(target)
      socket.once('connect', () => resolve(new FastCgiClient(socket)))
      socket.once('error', reject)
    })
  }

  get isClosed(): boolean {
    return this.socket.destroyed || this.socket.readableEnded
  }

  send(bytes: Uint8Array): void {
    this.socket.write(bytes)
  }

  begin(id: number, { keepConn = true, role = Role.responder as number } = {}): void {
    const body = Buffer.alloc(8)
    body.writeUInt16BE(role, 0)
    body[2] = keepConn ? keepConnFlag : 0
    this.send(encodeRecord(RecordType.beginRequest, id, body))
  }

  params(id: number, pairs: Array<[string, string]>): void {
    const encoded = encodePairs(pairs)
    if (encoded.length) this.send(encodeStream(RecordType.params, id, encoded))
    this.send(encodeRecord(RecordType.params, id))
  }

  stdin(id: number, data: Uint8Array | string = '', end = true): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data
    if (bytes.length) this.send(encodeStream(RecordType.stdin, id, bytes))
    if (end) this.send(encodeRecord(RecordType.stdin, id))
  }

  /** A whole request: BEGIN_REQUEST, the CGI variables for `method target`, STDIN. */
  request(id: number, method: string, target: string, options: { body?: string | Uint8Array; keepConn?: boolean; params?: Array<[string, string]> } = {}): void {
    const body = options.body === undefined ? undefined : typeof options.body === 'string' ? Buffer.from(options.body) : options.body
    this.begin(id, { keepConn: options.keepConn ?? true })
    this.params(id, [
      ['GATEWAY_INTERFACE', 'CGI/1.1'],
      ['REQUEST_METHOD', method],
      ['REQUEST_URI', target],
      ['SERVER_NAME', 'fcgi.test'],
      ['SERVER_PORT', '80'],
      ['REMOTE_ADDR', '192.0.2.1'],
      ...(body ? ([['CONTENT_LENGTH', String(body.length)]] as Array<[string, string]>) : []),
      ...(options.params ?? []),
    ])
    this.stdin(id, body)
  }

  /** Wait until a record matching `test` has arrived (or the connection closed: then undefined). */
  async waitFor(test: (record: FastCgiRecord) => boolean): Promise<FastCgiRecord | undefined> {
    for (;;) {
      const found = this.records.find(test)
      if (found) return found
      if (this.socket.destroyed || this.socket.readableEnded) return undefined
      await new Promise<void>((resolve) => this.#listeners.push(resolve))
    }
  }

  /** The answer to request `id`, once its END_REQUEST has arrived. */
  async answer(id: number): Promise<FastCgiAnswer> {
    const end = await this.waitFor((r) => r.requestId === id && r.type === RecordType.endRequest)
    if (!end) throw new Error(`the connection closed before END_REQUEST for request ${id}`)
    const stdout = Buffer.concat(this.records.filter((r) => r.requestId === id && r.type === RecordType.stdout).map((r) => r.content))
    return { ...parseCgiResponse(stdout), protocolStatus: end.content[4]! }
  }

  end(): void {
    this.socket.end()
  }
}

/** A CGI response (`Status:`, headers, blank line, body) into its parts. */
export function parseCgiResponse(raw: Buffer): { status: number; headers: Record<string, string[]>; body: Buffer } {
  const split = raw.indexOf('\r\n\r\n')
  const head = raw.subarray(0, split < 0 ? raw.length : split).toString('latin1')
  const headers: Record<string, string[]> = {}
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon < 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    ;(headers[name] ??= []).push(line.slice(colon + 1).trim())
  }
  return { status: Number(headers.status?.[0]?.split(' ')[0]), headers, body: split < 0 ? Buffer.alloc(0) : raw.subarray(split + 4) }
}

export { decodePairs, encodePairs, encodeRecord, RecordType, Role }
