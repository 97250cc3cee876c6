import { type FetchHandler, HttpError, type Logger } from '../../../core/index.js'
import {
  answerCgiOnSocket,
  batchedWriter,
  cgiContentLength,
  cgiParam,
  type CgiParams,
  cgiRefusal,
  cgiRequest,
  closingCgiResponse,
  failureLog,
  Hangup,
  logProtocolError,
  plainCgiResponse,
  PushedBody,
  type SocketConnection,
} from '../../../core/server-kit/index.js'
import { ScgiNetstring } from './errors.js'
import { parseScgiHeaders } from './scgi-headers.js'

export interface ScgiConnectionOptions {
  maxHeaderSize: number
  maxBodySize: number
  stripScriptName: boolean
}

const colon = 0x3a
const comma = 0x2c

/**
 * One SCGI connection, which carries exactly one request: a netstring of
 * NUL-separated variables (`<length>:CONTENT_LENGTH\0<n>\0...\0,`), then
 * CONTENT_LENGTH bytes of body. The response is a CGI response; closing the
 * connection ends it.
 *
 * A request that breaks the protocol (see parseScgiHeaders and #readLength)
 * is answered 400 without calling the app, logged, and the connection closed.
 * A body cut short by the end of the connection fails the app's read of it
 * with a 400 (PushedBody's `length`): the app runs as soon as the variables
 * are in, with the body streaming, so it is the read that is refused.
 */
export class ScgiConnection {
  readonly #connection: SocketConnection
  readonly #handler: FetchHandler
  readonly #options: ScgiConnectionOptions
  readonly #logger: Logger | undefined
  readonly #log: (error: unknown, message: string) => void
  /** Digits of the largest header length allowed: a longer prefix is over maxHeaderSize whatever follows. */
  readonly #maxDigits: number
  #state: 'length' | 'headers' | 'body' | 'done' = 'length'
  /** The netstring bytes received so far, joined once all have arrived. */
  #chunks: Buffer[] = []
  #size = 0
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
    this.#maxDigits = String(options.maxHeaderSize).length
    const socket = connection.socket
    this.#send = batchedWriter(socket)
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
    socket.once('end', () => this.#onEnd())
    socket.once('close', () => this.#onClose())
  }

  #receive(chunk: Buffer): void {
    if (this.#state === 'done') return // the rest of a body nobody reads, or bytes after it
    if (this.#state === 'body') return this.#bodyBytes(chunk)
    if (this.#state === 'length' && this.#size === 0) {
      this.#connection.begin()
      // A closing server takes no new request: 503 with Retry-After, and the rest of the request is dropped.
      if (this.#connection.closing) return this.#answerClosing()
    }
    this.#chunks.push(chunk)
    this.#size += chunk.length
    if (this.#state === 'length' && !this.#readLength()) return
    if (this.#size < this.#headerLength + 1) return
    const buffered = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#size)
    this.#chunks = []
    this.#size = 0
    if (buffered[this.#headerLength] !== comma) return this.#violation(ScgiNetstring(`The header netstring of ${this.#headerLength} bytes is not followed by ','.`))
    const params = parseScgiHeaders(buffered.subarray(0, this.#headerLength))
    if (params instanceof HttpError) return this.#violation(params)
    const rest = buffered.subarray(this.#headerLength + 1)
    this.#start(params)
    if (rest.length && (this.#state as string) === 'body') this.#bodyBytes(rest)
  }

  /**
   * Read the netstring's length, `<digits>:`: ASCII digits only, no sign, no
   * space, no leading zero (netstrings forbid them; "0" alone is an empty
   * block), at most maxHeaderSize. True once it is read and consumed.
   */
  #readLength(): boolean {
    const buffered = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks, this.#size)
    const end = buffered.indexOf(colon)
    const digits = end < 0 ? buffered.length : end
    // Only as far as a length could go: a prefix longer than that is refused without reading on.
    for (let i = 0; i < Math.min(digits, this.#maxDigits + 1); i++) {
      const byte = buffered[i]!
      if (byte < 0x30 || byte > 0x39) {
        this.#violation(ScgiNetstring('The request does not start with a netstring length (ASCII digits, then ":").'))
        return false
      }
    }
    if (digits > 1 && buffered[0] === 0x30) {
      this.#violation(ScgiNetstring('The netstring length has a leading zero.'))
      return false
    }
    // Without leading zeros, more digits only make it larger: a prefix already over the limit is refused at once.
    if (digits > 0 && Number(buffered.toString('latin1', 0, Math.min(digits, this.#maxDigits + 1))) > this.#options.maxHeaderSize) {
      this.#refuse(plainCgiResponse(431, `The request headers and server variables are larger than ${this.#options.maxHeaderSize} bytes (server/scgi option maxHeaderSize).`))
      return false
    }
    if (end < 0) {
      this.#chunks = [buffered]
      return false
    }
    if (end === 0) {
      this.#violation(ScgiNetstring('The netstring length is empty (":" first).'))
      return false
    }
    this.#headerLength = Number(buffered.toString('latin1', 0, end))
    const rest = buffered.subarray(end + 1)
    this.#chunks = rest.length ? [rest] : []
    this.#size = rest.length
    this.#state = 'headers'
    return true
  }

  #start(params: CgiParams): void {
    this.#state = 'body'
    let request: Request
    try {
      // parseScgiHeaders has checked it is there, first and digits; this checks its size.
      const length = cgiContentLength(params) ?? 0
      this.#remaining = length
      if (length > this.#options.maxBodySize) {
        return this.#refuse(plainCgiResponse(413, `The request body is larger than ${this.#options.maxBodySize} bytes (server/scgi option maxBodySize).`))
      }
      const method = cgiParam(params, 'REQUEST_METHOD') ?? 'GET'
      const hasBody = method !== 'GET' && method !== 'HEAD' && length > 0
      if (hasBody) {
        this.#body = new PushedBody({
          maxBodySize: this.#options.maxBodySize,
          limitName: 'server/scgi option maxBodySize',
          length,
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
      return this.#refuse(cgiRefusal(error))
    }
    const hangup = this.#hangup
    const out = { write: (bytes: Uint8Array) => this.#write(bytes), get gone() { return hangup.happened }, onGone: (listener: () => void) => hangup.on(listener) }
    // SCGI ends a response by closing the connection, so a body failing after the head must reset it instead:
    // a plain close would pass for the end of a complete response.
    const socket = this.#connection.socket
    answerCgiOnSocket(this.#handler, request, out, this.#log, { destroy: () => socket.resetAndDestroy() }, () => this.#finish())
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
  #refuse(answer: Buffer): void {
    this.#state = 'done'
    this.#chunks = []
    this.#size = 0
    void this.#write(answer)
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

  /**
   * The web server ended its side: what it sent is all there will be. Inside
   * the header netstring, the request is refused 400; inside the body, the
   * app's read of it fails with a 400 (the answer goes out if the web server
   * still reads). Once the whole request is in, web servers end their side to
   * give up (their client left; none half-closes an SCGI connection), so the
   * request is aborted, as it was before node kept such sockets open.
   */
  #onEnd(): void {
    if (this.#state === 'headers' || (this.#state === 'length' && this.#size > 0)) {
      return this.#violation(ScgiNetstring('The connection ended inside the header netstring.'))
    }
    if (this.#state === 'body') {
      this.#state = 'done'
      // Short of CONTENT_LENGTH: end() fails the body with DOVETAIL_ERR_SERVER_BODY_LENGTH, so the app's read is refused with a 400.
      this.#body?.end()
      return
    }
    if (this.#state === 'done' && !this.#answered) this.#connection.socket.destroy()
  }

  #onClose(): void {
    const gone = new Error('The web server closed the SCGI connection')
    this.#body?.fail(gone)
    if (this.#state !== 'length' || this.#size > 0) {
      if (!this.#answered) {
        this.#hangup.fire(gone)
        this.#answered = true
        this.#connection.finish()
      }
    }
  }

  /** The request breaks the protocol: log it, answer 400 without calling the app, close the connection. */
  #violation(error: HttpError): void {
    logProtocolError(
      this.#logger,
      `server/scgi: the web server sent a request that breaks the SCGI protocol (${error.code}): ${error.message} It was answered 400 and the connection closed. Is the web server speaking SCGI to this port (scgi_pass, not proxy_pass or fastcgi_pass)?`,
    )
    this.#refuse(plainCgiResponse(error))
  }
}
