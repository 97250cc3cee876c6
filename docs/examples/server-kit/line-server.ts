// A toy server adapter built only on dovetailjs/server-kit, as a third-party
// package would build one. Its protocol: the client sends one line,
// "<METHOD> <target>", and reads the app's answer as a CGI response
// ("Status: 200 OK", headers, a blank line, the body) until the connection closes.
import { defineComponent, type FetchHandler, Logger, Server } from 'dovetailjs'
import {
  answerCgiOnSocket,
  batchedWriter,
  type CgiOutput,
  cgiRefusal,
  cgiRequest,
  failureLog,
  Hangup,
  logProtocolError,
  type SocketConnection,
  SocketServer,
  socketServerOptions,
  type SocketServerOptions,
} from 'dovetailjs/server-kit'

const name = 'example/line-server'

function serveConnection(connection: SocketConnection, handler: FetchHandler, logger: Logger | undefined): void {
  const { socket } = connection
  // The client gave up: the lazy request's signal aborts, a streamed body stops.
  const hangup = new Hangup()
  socket.once('close', () => hangup.fire(new Error('the client closed the connection')))
  let received = ''
  const onData = (chunk: Buffer) => {
    received += chunk.toString('latin1')
    const end = received.indexOf('\n')
    if (end < 0) return
    socket.off('data', onData)
    const line = /^([A-Z]+) (\/\S*)$/.exec(received.slice(0, end).trim())
    if (!line || connection.closing) {
      if (!line) logProtocolError(logger, `${name}: the client sent no "<METHOD> <target>" line`)
      socket.destroy()
      return
    }
    connection.begin()
    const params: Array<[string, string]> = [
      ['REQUEST_METHOD', line[1]!],
      ['REQUEST_URI', line[2]!],
      ['SERVER_NAME', socket.localAddress ?? 'localhost'],
      ['SERVER_PORT', String(socket.localPort ?? '')],
      ['REMOTE_ADDR', socket.remoteAddress ?? ''],
    ]
    let request: Request
    try {
      request = cgiRequest(params, { body: null, onAbort: (listener) => void hangup.on(listener) })
    } catch (error) {
      // A target with a control character (checkCgiPath), or one that makes no URL: answered without the app.
      socket.end(cgiRefusal(error))
      connection.finish()
      return
    }
    const out: CgiOutput = { write: batchedWriter(socket), get gone() { return hangup.happened }, onGone: (listener) => hangup.on(listener) }
    answerCgiOnSocket(handler, request, out, failureLog(name, logger), socket, () => {
      connection.finish()
      socket.end()
    })
  }
  socket.on('data', onData)
}

/** The adapter: listening, the unix socket, timeouts and the graceful close come from SocketServer. */
export class LineServer extends SocketServer {
  constructor(options: SocketServerOptions, logger?: Logger) {
    super('line', options, (connection, handler) => serveConnection(connection, handler, logger))
  }
}

/** The component: the same options as the FastCGI and SCGI servers, checked at startup. */
export const lineServer = defineComponent({
  name,
  slot: 'server',
  contract: '^1.0',
  options: socketServerOptions,
  register(c, options) {
    c.singleton(Server, (resolve) => new LineServer(options, resolve(Logger)))
  },
})
