import type { FetchHandler, Logger } from '../../../core/index.js'
import {
  answerCgiOnSocket,
  batchedWriter,
  type CgiOutput,
  cgiContentLength,
  cgiParam,
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
  maxRequestsInFlight: number
  stripScriptName: boolean
}

/** One active request on a connection: from BEGIN_REQUEST until its END_REQUEST goes out. */
interface Pending {
  id: number
  keepConn: boolean
  params: Buffer[]
  paramsSize: number
  /** The empty PARAMS record came: the app was called, or the request refused. */
  paramsDone: boolean
  /** The empty STDIN record came. */
  stdinDone: boolean
  /** END_REQUEST went out (or the connection is gone). */
  answered: boolean
  /** Made once PARAMS say a body comes; STDIN for a request without one is dropped. */
  body: PushedBody | undefined
  hangup: Hangup
}

/** BEGIN_REQUEST's body: role (2 bytes), flags, 5 reserved. */
const beginRequestLength = 8

/**
 * The responder side of one FastCGI connection: parses records, turns each
 * request into a fetch `Request`, and writes the `Response` back as STDOUT
 * records and END_REQUEST.
 *
 * Held to the FastCGI 1.0 spec: a record the web server may not send (a
 * BEGIN_REQUEST for an id still in flight, PARAMS after the end of PARAMS,
 * STDIN before it or after the end of STDIN, a responder's own record types,
 * malformed name-value pairs, a record cut short by the end of the
 * connection) closes the connection and is logged; every request gets at
 * most one END_REQUEST. Records for ids not in flight are ignored (spec 3.3).
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
  /** The requests in flight (END_REQUEST not sent), by id. */
  readonly #requests = new Map<number, Pending>()
  /** What FCGI_GET_VALUES may ask about, and our answers. */
  readonly #values: Record<string, string>
  /** Bytes of a record not complete yet, kept as they came and joined once `#needed` have arrived. */
  #parts: Buffer[] = []
  #partsSize = 0
  #needed = headerLength
  #closed = false
  readonly #send: (bytes: Uint8Array) => void | Promise<void>

  constructor(connection: SocketConnection, handler: FetchHandler, options: FastCgiConnectionOptions, logger?: Logger) {
    this.#connection = connection
    this.#handler = handler
    this.#options = options
    this.#logger = logger
    this.#log = failureLog('server/fastcgi', logger)
    this.#values = {
      // Requests on one connection are answered concurrently, each under its own id...
      FCGI_MPXS_CONNS: '1',
      // ...up to this many at once; more are refused with FCGI_OVERLOADED.
      FCGI_MAX_REQS: String(options.maxRequestsInFlight),
    }
    const socket = connection.socket
    this.#send = batchedWriter(socket)
    socket.on('data', (chunk: Buffer) => this.#receive(chunk))
    socket.once('end', () => this.#onEnd())
    socket.once('close', () => this.#onClose())
  }

  #receive(chunk: Buffer): void {
    if (this.#closed) return
    this.#parts.push(chunk)
    this.#partsSize += chunk.length
    // Why not join every chunk to the rest: a record trickled in byte by byte would be copied once per byte.
    if (this.#partsSize < this.#needed) return
    const buffer = this.#parts.length === 1 ? this.#parts[0]! : Buffer.concat(this.#parts, this.#partsSize)
    let at = 0
    let needed = headerLength
    let paused = false
    while (buffer.length - at >= headerLength && !this.#closed) {
      const header = readHeader(buffer, at)
      if ('version' in header) return this.#protocolError(`a record of FastCGI version ${header.version} (only version 1 exists)`)
      const end = at + headerLength + header.contentLength + header.paddingLength
      if (end > buffer.length) {
        needed = end - at
        break
      }
      const content = buffer.subarray(at + headerLength, at + headerLength + header.contentLength)
      at = end
      if (this.#record(header.type, header.requestId, content) === false) paused = true
    }
    if (this.#closed) return
    // At most one partial record (under 64 KiB, as lengths are 16 and 8 bits) waits for its rest.
    this.#parts = at < buffer.length ? [buffer.subarray(at)] : []
    this.#partsSize = buffer.length - at
    this.#needed = needed
    if (paused) this.#connection.socket.pause()
  }

  /** Handle one record; false asks to pause reading (a request body is full, or answers wait to be read). */
  #record(type: number, id: number, content: Buffer): boolean | void {
    if (id === 0) return this.#management(type, content)
    if (type === RecordType.beginRequest) return this.#begin(id, content)
    const request = this.#requests.get(id)
    if (!request) return // an id not in flight (never begun, refused, or ended): the spec says to ignore it
    switch (type) {
      case RecordType.params:
        if (request.paramsDone) return this.#protocolError(`a PARAMS record for request ${id} after the end of its PARAMS`)
        return this.#params(request, content)
      case RecordType.stdin:
        return this.#stdin(request, content)
      case RecordType.abortRequest:
        return this.#abort(request)
      default:
        // STDOUT, STDERR, END_REQUEST and the management answers go the other way; DATA belongs to the filter role.
        return this.#protocolError(`a record of type ${type} for request ${id} (a web server sends a responder only BEGIN_REQUEST, ABORT_REQUEST, PARAMS and STDIN)`)
    }
  }

  #management(type: number, content: Buffer): boolean | void {
    if (type !== RecordType.getValues) return this.#paced(this.#write(encodeUnknownType(type)))
    const asked = decodePairs(content)
    if (!asked) return this.#protocolError('a malformed FCGI_GET_VALUES record')
    const known = asked.filter(([name]) => Object.hasOwn(this.#values, name)).map(([name]) => [name, this.#values[name]!] as const)
    return this.#paced(this.#write(encodeRecord(RecordType.getValuesResult, 0, encodePairs(known))))
  }

  #begin(id: number, content: Buffer): boolean | void {
    if (content.length !== beginRequestLength) return this.#protocolError(`a BEGIN_REQUEST record of ${content.length} bytes (its body is ${beginRequestLength})`)
    // An id is reused only after its END_REQUEST; answering both would give one id two END_REQUESTs.
    if (this.#requests.has(id)) return this.#protocolError(`a BEGIN_REQUEST for request ${id}, which is still in flight`)
    const role = content.readUInt16BE(0)
    const keepConn = (content[2]! & keepConnFlag) !== 0
    if (role !== Role.responder) return this.#refuse(id, ProtocolStatus.unknownRole, keepConn)
    // A closing server takes no new request: it answers 503 with Retry-After (FCGI_OVERLOADED alone gives
    // the web server no response to pass on; nginx makes it a 502) and ends the connection once idle.
    if (this.#connection.closing) return this.#answerClosing(id, keepConn)
    // One past maxRequestsInFlight is refused; the web server may retry it elsewhere.
    if (this.#requests.size >= this.#options.maxRequestsInFlight) return this.#refuse(id, ProtocolStatus.overloaded, keepConn)
    this.#requests.set(id, { id, keepConn, params: [], paramsSize: 0, paramsDone: false, stdinDone: false, answered: false, body: undefined, hangup: new Hangup() })
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

  #refuse(id: number, status: number, keepConn: boolean): boolean | void {
    const writing = this.#write(encodeEndRequest(id, 0, status))
    if (!keepConn) this.#connection.socket.end()
    return this.#paced(writing)
  }

  /**
   * False, and reading resumes once the socket drains, when an answer to a
   * record waits unread: records that each ask for an answer must not fill
   * memory faster than the web server reads.
   */
  #paced(writing: void | Promise<void>): boolean | void {
    if (!writing) return
    void writing.then(() => this.#connection.socket.resume())
    return false
  }

  #params(request: Pending, content: Buffer): void {
    if (content.length > 0) {
      request.paramsSize += content.length
      // Past the limit, keep counting but stop holding bytes; the request is answered 431 at the end of PARAMS.
      if (request.paramsSize <= this.#options.maxHeaderSize) request.params.push(content)
      return
    }
    request.paramsDone = true
    if (request.paramsSize > this.#options.maxHeaderSize) {
      return this.#reply(request, plainCgiResponse(431, `The request headers and server variables are larger than ${this.#options.maxHeaderSize} bytes (server/fastcgi option maxHeaderSize).`))
    }
    const params = decodePairs(Buffer.concat(request.params))
    request.params = []
    if (!params) return this.#protocolError(`malformed name-value pairs in the PARAMS of request ${request.id}`)
    this.#start(request, params)
  }

  #stdin(request: Pending, content: Buffer): boolean | void {
    if (!request.paramsDone) return this.#protocolError(`STDIN for request ${request.id} before the end of its PARAMS`)
    if (request.stdinDone) return this.#protocolError(`a STDIN record for request ${request.id} after the end of its STDIN`)
    if (content.length === 0) {
      request.stdinDone = true
      // Short of CONTENT_LENGTH, end() fails the body with DOVETAIL_ERR_SERVER_BODY_LENGTH (400); so does a push past it.
      request.body?.end()
      return
    }
    return request.body ? request.body.push(content) : true
  }

  #start(request: Pending, params: Array<[string, string]>): void {
    let fetchRequest: Request
    try {
      const length = cgiContentLength(params)
      if (length !== undefined && length > this.#options.maxBodySize) {
        return this.#reply(request, plainCgiResponse(413, `The request body is larger than ${this.#options.maxBodySize} bytes (server/fastcgi option maxBodySize).`))
      }
      const method = cgiParam(params, 'REQUEST_METHOD') ?? 'GET'
      // Without a body, STDIN bytes (there should be none) are dropped as they arrive.
      if (method !== 'GET' && method !== 'HEAD' && length !== 0) {
        request.body = new PushedBody({
          maxBodySize: this.#options.maxBodySize,
          limitName: 'server/fastcgi option maxBodySize',
          length,
          resume: () => this.#connection.socket.resume(),
        })
      }
      fetchRequest = cgiRequest(params, {
        body: request.body?.stream ?? null,
        stripScriptName: this.#options.stripScriptName,
        onAbort: (listener) => void request.hangup.on(listener),
      })
    } catch (error) {
      return this.#reply(request, cgiRefusal(error))
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
  #reply(request: Pending, answer: Buffer): void {
    this.#write(encodeStream(RecordType.stdout, request.id, answer))
    this.#end(request)
  }

  #stdout(request: Pending, bytes: Uint8Array): void | Promise<void> {
    if (this.#closed) return
    return this.#write(encodeStream(RecordType.stdout, request.id, bytes))
  }

  #end(request: Pending): void {
    if (request.answered) return
    request.answered = true
    // With END_REQUEST the id is no longer in flight: its late STDIN is ignored, and a BEGIN_REQUEST may reuse it.
    this.#requests.delete(request.id)
    if (!this.#closed) {
      void this.#write(encodeRecord(RecordType.stdout, request.id))
      void this.#write(encodeEndRequest(request.id, 0, ProtocolStatus.requestComplete))
    }
    request.body?.fail(new Error('The response was sent before the request body was read; the rest of the body was discarded'))
    this.#connection.finish()
    if (!request.keepConn) this.#connection.socket.end()
  }

  #abort(request: Pending): void {
    const reason = new Error('The web server aborted the request (FCGI_ABORT_REQUEST)')
    request.hangup.fire(reason)
    request.body?.fail(reason)
    // Not started: nothing will call #end, so answer the abort here. Started: the app's answer ends it.
    if (!request.paramsDone) {
      request.paramsDone = true
      this.#end(request)
    }
  }

  #write(bytes: Uint8Array): void | Promise<void> {
    const socket = this.#connection.socket
    if (this.#closed || socket.destroyed) return
    return this.#send(bytes)
  }

  /**
   * The web server ended its side. Web servers do that to give up (their
   * client left), not to half-close: the requests in flight, and a record cut
   * short, are dropped and the connection closed, which aborts their signals.
   * An idle connection is ended by SocketConnection.
   */
  #onEnd(): void {
    if (!this.#closed && (this.#requests.size > 0 || this.#partsSize > 0)) this.#connection.socket.destroy()
  }

  #onClose(): void {
    this.#closed = true
    for (const request of this.#requests.values()) {
      const gone = new Error('The web server closed the FastCGI connection')
      request.hangup.fire(gone)
      request.body?.fail(gone)
      request.answered = true
      this.#connection.finish()
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
