import type { FetchHandler, Logger } from '../../../core/index.js'
import {
  answerCgiOnSocket,
  batchedWriter,
  type CgiOutput,
  cgiContentLength,
  cgiParam,
  cgiRequest,
  closingCgiResponse,
  failureLog,
  Hangup,
  logProtocolError,
  plainCgiResponse,
  PushedBody,
  type SocketConnection,
} from '../../../core/server-kit/index.js'
import {
  decodePairs,
  encodeEndRequest,
  encodePairs,
  encodeRecord,
  encodeStream,
  encodeUnknownType,
  headerLength,
  keepConnFlag,
  ProtocolStatus,
  readHeader,
  RecordType,
  Role,
} from './records.js'

export interface FastCgiConnectionOptions {
  maxHeaderSize: number
  maxBodySize: number
  stripScriptName: boolean
}

/** One request on a connection, from BEGIN_REQUEST to END_REQUEST and the end of its STDIN. */
interface Pending {
  id: number
  keepConn: boolean
  params: Buffer[]
  paramsSize: number
  started: boolean
  /** END_REQUEST went out; STDIN may still be arriving, and is dropped. */
  answered: boolean
  stdinDone: boolean
  /** Made once PARAMS say a body comes; STDIN for a request without one is dropped. */
  body: PushedBody | undefined
  hangup: Hangup
}

/** The variables a web server may ask about with FCGI_GET_VALUES, and ours. */
const values: Record<string, string> = {
  // Requests on one connection are answered concurrently, each under its own id.
  FCGI_MPXS_CONNS: '1',
}

/**
 * The responder side of one FastCGI connection: parses records, turns each
 * request into a fetch `Request`, and writes the `Response` back as STDOUT
 * records and END_REQUEST.
 *
 * Why not the npm package node-fastcgi (the one maintained FastCGI responder
 * there): it imitates node's http.IncomingMessage and ServerResponse, so a
 * fetch handler would sit behind two translations instead of one, and it brings
 * a dependency for what is a few hundred lines of a small, frozen protocol.
 */
export class FastCgiConnection {
  readonly #connection: SocketConnection
  readonly #handler: FetchHandler
  readonly #options: FastCgiConnectionOptions
  readonly #logger: Logger | undefined
  readonly #log: (error: unknown, message: string) => void
  readonly #requests = new Map<number, Pending>()
  #pending: Buffer | undefined
  #closed = false
  readonly #send: (bytes: Uint8Array) => void | Promise<void>

  constructor(connection: SocketConnection, handler: FetchHandler, options: FastCgiConnectionOptions, logger?: Logger) {
    this.#connection = connection
    this.#handler = handler
    this.#options = options
    this.#logger = logger
    this.#log = failureLog('server/fastcgi', logger)
    const socket = connection.socket
    this.#send = batchedWriter(socket)
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
    socket.once('close', () => this.#onClose())
  }

  #receive(chunk: Buffer): void {
    const buffer = this.#pending ? Buffer.concat([this.#pending, chunk]) : chunk
    let at = 0
    let paused = false
    while (buffer.length - at >= headerLength && !this.#closed) {
      const header = readHeader(buffer, at)
      if ('version' in header) return this.#protocolError(`a record of FastCGI version ${header.version} (only version 1 exists)`)
      const end = at + headerLength + header.contentLength + header.paddingLength
      if (end > buffer.length) break
      const content = buffer.subarray(at + headerLength, at + headerLength + header.contentLength)
      at = end
      if (this.#record(header.type, header.requestId, content) === false) paused = true
    }
    // At most one partial record (under 64 KiB, as lengths are 16 bits) waits for its rest.
    this.#pending = at < buffer.length ? buffer.subarray(at) : undefined
    if (paused) this.#connection.socket.pause()
  }

  /** Handle one record; false asks to pause reading (a request body is full). */
  #record(type: number, id: number, content: Buffer): boolean | void {
    if (id === 0) return this.#management(type, content)
    if (type === RecordType.beginRequest) return this.#begin(id, content)
    const request = this.#requests.get(id)
    if (!request) return // a record for a request that ended: the spec says to ignore it
    switch (type) {
      case RecordType.params:
        return this.#params(request, content)
      case RecordType.stdin:
        if (content.length === 0) {
          request.stdinDone = true
          request.body?.end()
          if (request.answered) this.#requests.delete(id)
          return
        }
        return request.body ? request.body.push(content) : true
      case RecordType.abortRequest:
        return this.#abort(request)
      default:
        // DATA belongs to the filter role, which is refused at BEGIN_REQUEST; others are not for us.
        return
    }
  }

  #management(type: number, content: Buffer): void {
    if (type !== RecordType.getValues) return void this.#write(encodeUnknownType(type))
    const asked = decodePairs(content)
    if (!asked) return this.#protocolError('a malformed FCGI_GET_VALUES record')
    const known = asked.filter(([name]) => name in values).map(([name]) => [name, values[name]!] as const)
    this.#write(encodeRecord(RecordType.getValuesResult, 0, encodePairs(known)))
  }

  #begin(id: number, content: Buffer): void {
    if (content.length < 8) return this.#protocolError('a BEGIN_REQUEST record shorter than 8 bytes')
    const role = content.readUInt16BE(0)
    const keepConn = (content[2]! & keepConnFlag) !== 0
    if (role !== Role.responder) return this.#refuse(id, ProtocolStatus.unknownRole, keepConn)
    // A closing server takes no new request: it answers 503 with Retry-After (FCGI_OVERLOADED alone gives
    // the web server no response to pass on; nginx makes it a 502) and ends the connection once idle.
    if (this.#connection.closing) return this.#answerClosing(id, keepConn)
    this.#requests.get(id)?.body?.fail(new Error('The web server reused this FastCGI request id'))
    this.#requests.set(id, { id, keepConn, params: [], paramsSize: 0, started: false, answered: false, stdinDone: false, body: undefined, hangup: new Hangup() })
    this.#connection.begin()
  }

  #answerClosing(id: number, keepConn: boolean): void {
    this.#connection.begin()
    void this.#write(encodeStream(RecordType.stdout, id, closingCgiResponse()))
    void this.#write(encodeRecord(RecordType.stdout, id))
    void this.#write(encodeEndRequest(id, 0, ProtocolStatus.requestComplete))
    this.#connection.finish()
    if (!keepConn) this.#connection.socket.end()
  }

  #refuse(id: number, status: number, keepConn: boolean): void {
    this.#write(encodeEndRequest(id, 0, status))
    if (!keepConn) this.#connection.socket.end()
  }

  #params(request: Pending, content: Buffer): void {
    if (request.started) return
    if (content.length > 0) {
      request.paramsSize += content.length
      // Past the limit, keep counting but stop holding bytes; the request is answered 431 at the end of PARAMS.
      if (request.paramsSize <= this.#options.maxHeaderSize) request.params.push(content)
      return
    }
    request.started = true
    if (request.paramsSize > this.#options.maxHeaderSize) {
      return this.#reply(request, 431, `The request headers and server variables are larger than ${this.#options.maxHeaderSize} bytes (server/fastcgi option maxHeaderSize).`)
    }
    const params = decodePairs(Buffer.concat(request.params))
    request.params = []
    if (!params) return this.#protocolError('malformed name-value pairs in PARAMS')
    this.#start(request, params)
  }

  #start(request: Pending, params: Array<[string, string]>): void {
    let length: number | undefined
    let fetchRequest: Request
    try {
      length = cgiContentLength(params)
      if (length !== undefined && length > this.#options.maxBodySize) {
        return this.#reply(request, 413, `The request body is larger than ${this.#options.maxBodySize} bytes (server/fastcgi option maxBodySize).`)
      }
      const method = cgiParam(params, 'REQUEST_METHOD') ?? 'GET'
      // Without a body, STDIN bytes (there should be none) are dropped as they arrive.
      if (method !== 'GET' && method !== 'HEAD' && length !== 0) {
        request.body = new PushedBody({
          maxBodySize: this.#options.maxBodySize,
          limitName: 'server/fastcgi option maxBodySize',
          resume: () => this.#connection.socket.resume(),
        })
      }
      fetchRequest = cgiRequest(params, {
        body: request.body?.stream ?? null,
        stripScriptName: this.#options.stripScriptName,
        onAbort: (listener) => void request.hangup.on(listener),
      })
    } catch (error) {
      return this.#reply(request, 400, `The web server sent variables that make no valid request: ${(error as Error).message}`)
    }
    const closed = () => this.#closed
    const out: CgiOutput = {
      write: (bytes) => this.#stdout(request, bytes),
      get gone() {
        return request.hangup.happened || closed()
      },
      onGone: (listener) => request.hangup.on(listener),
    }
    answerCgiOnSocket(this.#handler, fetchRequest, out, this.#log, this.#connection.socket, () => this.#end(request))
  }

  /** Answer without calling the app (a limit or a malformed request). */
  #reply(request: Pending, status: number, message: string): void {
    this.#write(encodeStream(RecordType.stdout, request.id, plainCgiResponse(status, message)))
    this.#end(request)
  }

  #stdout(request: Pending, bytes: Uint8Array): void | Promise<void> {
    if (this.#closed) return
    return this.#write(encodeStream(RecordType.stdout, request.id, bytes))
  }

  #end(request: Pending): void {
    if (request.answered) return
    request.answered = true
    if (!this.#closed) {
      void this.#write(encodeRecord(RecordType.stdout, request.id))
      void this.#write(encodeEndRequest(request.id, 0, ProtocolStatus.requestComplete))
    }
    request.body?.fail(new Error('The response was sent before the request body was read; the rest of the body was discarded'))
    if (request.stdinDone) this.#requests.delete(request.id)
    this.#connection.finish()
    if (!request.keepConn) this.#connection.socket.end()
  }

  #abort(request: Pending): void {
    const reason = new Error('The web server aborted the request (FCGI_ABORT_REQUEST)')
    request.hangup.fire(reason)
    request.body?.fail(reason)
    request.stdinDone = true
    // Not started: nothing will call #end, so answer the abort here. Started: the app's answer ends it.
    if (!request.started) {
      request.started = true
      this.#end(request)
    }
  }

  #write(bytes: Uint8Array): void | Promise<void> {
    const socket = this.#connection.socket
    if (this.#closed || socket.destroyed) return
    return this.#send(bytes)
  }

  #onClose(): void {
    this.#closed = true
    for (const request of this.#requests.values()) {
      const gone = new Error('The web server closed the FastCGI connection')
      if (!request.answered) request.hangup.fire(gone)
      request.body?.fail(gone)
      if (!request.answered) {
        request.answered = true
        this.#connection.finish()
      }
    }
    this.#requests.clear()
  }

  #protocolError(what: string): void {
    const message = `server/fastcgi: the web server sent ${what}, which breaks the FastCGI protocol; the connection was closed. Is the web server speaking FastCGI to this port (fastcgi_pass, not proxy_pass or scgi_pass)?`
    logProtocolError(this.#logger, message)
    this.#connection.socket.destroy()
    this.#closed = true
  }
}
