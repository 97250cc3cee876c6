import type { FetchHandler, Logger } from '../../../core/index.js'
import {
  answerCgiOnSocket,
  batchedWriter,
  cgiContentLength,
  cgiParam,
  cgiParamEncoding,
  type CgiParams,
  cgiRequest,
  closingCgiResponse,
  failureLog,
  Hangup,
  logProtocolError,
  plainCgiResponse,
  PushedBody,
  type SocketConnection,
} from '../../../core/server-kit/index.js'

export interface ScgiConnectionOptions {
  maxHeaderSize: number
  maxBodySize: number
  stripScriptName: boolean
}

/** The netstring length prefix: digits then ':'; longer than this is no header block we would take anyway. */
const maxLengthDigits = 10

/**
 * One SCGI connection, which carries exactly one request: a netstring of
 * NUL-separated variables (`<length>:CONTENT_LENGTH\0<n>\0...\0,`), then
 * CONTENT_LENGTH bytes of body. The response is a CGI response; closing the
 * connection ends it.
 */
export class ScgiConnection {
  readonly #connection: SocketConnection
  readonly #handler: FetchHandler
  readonly #options: ScgiConnectionOptions
  readonly #logger: Logger | undefined
  readonly #log: (error: unknown, message: string) => void
  #state: 'length' | 'headers' | 'body' | 'done' = 'length'
  #buffered: Buffer = Buffer.alloc(0)
  #headerLength = 0
  #remaining = 0
  #body: PushedBody | undefined
  readonly #hangup = new Hangup()
  #answered = false
  readonly #send: (bytes: Uint8Array) => void | Promise<void>

  constructor(connection: SocketConnection, handler: FetchHandler, options: ScgiConnectionOptions, logger?: Logger) {
    this.#connection = connection
    this.#handler = handler
    this.#options = options
    this.#logger = logger
    this.#log = failureLog('server/scgi', logger)
    const socket = connection.socket
    this.#send = batchedWriter(socket)
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
    socket.once('close', () => this.#onClose())
  }

  #receive(chunk: Buffer): void {
    if (this.#state === 'done') return // the rest of a body nobody reads, or bytes after it
    if (this.#state === 'body') return this.#bodyBytes(chunk)
    if (this.#state === 'length' && this.#buffered.length === 0) {
      this.#connection.begin()
      // A closing server takes no new request: 503 with Retry-After, and the rest of the request is dropped.
      if (this.#connection.closing) return this.#answerClosing()
    }
    this.#buffered = this.#buffered.length ? Buffer.concat([this.#buffered, chunk]) : chunk
    if (this.#state === 'length') {
      const colon = this.#buffered.indexOf(0x3a)
      const digits = this.#buffered.subarray(0, colon < 0 ? this.#buffered.length : colon).toString('latin1')
      if (!/^\d*$/.test(digits) || digits.length > maxLengthDigits || (colon === 0)) return this.#protocolError('a request that does not start with a netstring length')
      if (colon < 0) return
      this.#headerLength = Number(digits)
      if (this.#headerLength > this.#options.maxHeaderSize) {
        return this.#refuse(431, `The request headers and server variables are larger than ${this.#options.maxHeaderSize} bytes (server/scgi option maxHeaderSize).`)
      }
      this.#buffered = this.#buffered.subarray(colon + 1)
      this.#state = 'headers'
    }
    if (this.#buffered.length < this.#headerLength + 1) return
    if (this.#buffered[this.#headerLength] !== 0x2c) return this.#protocolError("a header netstring that does not end with ','")
    const params = parseHeaders(this.#buffered.subarray(0, this.#headerLength))
    if (!params) return this.#protocolError('header bytes that are not NUL-terminated name/value pairs')
    const rest = this.#buffered.subarray(this.#headerLength + 1)
    this.#buffered = Buffer.alloc(0)
    this.#start(params)
    if (rest.length) this.#bodyBytes(rest)
  }

  #start(params: CgiParams): void {
    this.#state = 'body'
    let length: number
    let request: Request
    try {
      length = cgiContentLength(params) ?? 0
      this.#remaining = length
      if (length > this.#options.maxBodySize) {
        return this.#refuse(413, `The request body is larger than ${this.#options.maxBodySize} bytes (server/scgi option maxBodySize).`)
      }
      const method = cgiParam(params, 'REQUEST_METHOD') ?? 'GET'
      const hasBody = method !== 'GET' && method !== 'HEAD' && length > 0
      if (hasBody) {
        this.#body = new PushedBody({
          maxBodySize: this.#options.maxBodySize,
          limitName: 'server/scgi option maxBodySize',
          resume: () => this.#connection.socket.resume(),
        })
      }
      if (length === 0) this.#state = 'done'
      request = cgiRequest(params, {
        body: this.#body?.stream ?? null,
        stripScriptName: this.#options.stripScriptName,
        onAbort: (listener) => void this.#hangup.on(listener),
      })
    } catch (error) {
      return this.#refuse(400, `The web server sent variables that make no valid request: ${(error as Error).message}`)
    }
    const hangup = this.#hangup
    const out = { write: (bytes: Uint8Array) => this.#write(bytes), get gone() { return hangup.happened }, onGone: (listener: () => void) => hangup.on(listener) }
    answerCgiOnSocket(this.#handler, request, out, this.#log, this.#connection.socket, () => this.#finish())
  }

  #bodyBytes(chunk: Buffer): void {
    const part = chunk.byteLength > this.#remaining ? chunk.subarray(0, this.#remaining) : chunk
    this.#remaining -= part.byteLength
    const more = this.#body ? this.#body.push(part) : true
    if (this.#remaining === 0) {
      this.#state = 'done'
      this.#body?.end()
    } else if (!more) this.#connection.socket.pause()
  }

  #answerClosing(): void {
    this.#state = 'done'
    void this.#write(closingCgiResponse())
    this.#finish()
  }

  /** Answer without calling the app, then drop whatever the web server still sends. */
  #refuse(status: number, message: string): void {
    this.#state = 'done'
    void this.#write(plainCgiResponse(status, message))
    this.#finish()
  }

  #finish(): void {
    if (this.#answered) return
    this.#answered = true
    // Keep reading (and dropping) a body the app left unread, so a web server still sending gets to read the answer.
    this.#body?.fail(new Error('The response was sent before the request body was read; the rest of the body was discarded'))
    this.#body = undefined
    this.#connection.socket.resume()
    this.#connection.socket.end()
    this.#connection.finish()
  }

  #write(bytes: Uint8Array): void | Promise<void> {
    const socket = this.#connection.socket
    if (socket.destroyed || socket.writableEnded) return
    // A response written in one turn of the event loop leaves in one system call (with the end of the connection).
    return this.#send(bytes)
  }

  #onClose(): void {
    const gone = new Error('The web server closed the SCGI connection')
    this.#body?.fail(gone)
    if (this.#state !== 'length' || this.#buffered.length > 0) {
      if (!this.#answered) {
        this.#hangup.fire(gone)
        this.#answered = true
        this.#connection.finish()
      }
    }
  }

  #protocolError(what: string): void {
    const message = `server/scgi: the web server sent ${what}, which breaks the SCGI protocol; the connection was closed. Is the web server speaking SCGI to this port (scgi_pass, not proxy_pass or fastcgi_pass)?`
    logProtocolError(this.#logger, message)
    this.#state = 'done'
    this.#connection.socket.destroy()
  }
}

/** `name\0value\0name\0value\0` into pairs; undefined when the NULs do not pair up. */
function parseHeaders(block: Buffer): Array<[string, string]> | undefined {
  const pairs: Array<[string, string]> = []
  let at = 0
  while (at < block.length) {
    const nameEnd = block.indexOf(0, at)
    if (nameEnd < 0) return undefined
    const valueEnd = block.indexOf(0, nameEnd + 1)
    if (valueEnd < 0) return undefined
    const name = block.toString('latin1', at, nameEnd)
    pairs.push([name, block.toString(cgiParamEncoding(name), nameEnd + 1, valueEnd)])
    at = valueEnd + 1
  }
  return pairs
}
