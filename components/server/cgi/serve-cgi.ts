import type { Readable, Writable } from 'node:stream'
import { type FetchHandler, type HasFetch, type Logger } from '../../../core/index.js'
import { ServerCgiEnvironment } from './errors.js'
import {
  answerCgi,
  cgiContentLength,
  cgiParam,
  type CgiParams,
  cgiRefusal,
  cgiRequest,
  drained,
  failureLog,
  Hangup,
  plainCgiResponse,
  PushedBody,
} from '../../../core/server-kit/index.js'

export interface ServeCgiOptions {
  /** Largest request body in bytes; a larger CONTENT_LENGTH is answered 413 without calling the app. @default 16 MiB */
  maxBodySize?: number
  /** Route on PATH_INFO: take SCRIPT_NAME off the front of the path. @default false */
  stripScriptName?: boolean
  /** Where failures the app could not answer are logged. @default the app's logger, else stderr */
  logger?: Logger
  /** The CGI variables. @default process.env */
  env?: NodeJS.ProcessEnv
  /** The request body. @default process.stdin */
  stdin?: Readable
  /** Where the response goes. @default process.stdout, which is then reserved for it (see below) */
  stdout?: Writable
}

const MiB = 1024 * 1024

/**
 * Answer the one request a CGI web server (lighttpd mod_cgi, Apache mod_cgi,
 * any RFC 3875 server) started this process for: read the request from the
 * environment and stdin, call the app, write `Status:`, the headers and the
 * body to stdout. Resolves once the response is written; the process may then
 * exit (close the app first if it holds connections).
 *
 * While it serves process.stdout, stdout belongs to the response: anything
 * else written there (console.log, the fallback logger's info lines) is sent
 * to stderr instead, which the web server puts in its error log.
 *
 * @example
 * #!/usr/bin/env node
 * import { serveCgi } from 'dovetailjs/components/server/cgi'
 * const app = await createApp(config)
 * await serveCgi(app)
 * await app.close()
 */
export async function serveCgi(target: HasFetch | FetchHandler, options: ServeCgiOptions = {}): Promise<void> {
  const handler = typeof target === 'function' ? target : target.fetch
  const logger = options.logger ?? (target as { logger?: Logger }).logger
  const served = startCgi(handler, { ...options, logger })
  await served.done
}

/** @internal What the cgi component and serveCgi share: the request is read and the answer is under way. */
export function startCgi(handler: FetchHandler, options: ServeCgiOptions): { request: Request | undefined; params: CgiParams; done: Promise<void> } {
  const env = options.env ?? process.env
  if (!/^CGI\/1\.\d$/.test(env.GATEWAY_INTERFACE ?? '') || !env.REQUEST_METHOD) {
    throw ServerCgiEnvironment(
      'server/cgi: this process was not started by a CGI web server: GATEWAY_INTERFACE (CGI/1.1) and REQUEST_METHOD are not in the environment. ' +
        'Run the script through lighttpd mod_cgi or Apache mod_cgi (see docs/deployment.md), or use the node, fastcgi or scgi server to listen on a port.',
    )
  }
  const params: CgiParams = Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)
  // httpoxy: a client's "Proxy:" header arrives as HTTP_PROXY, which HTTP clients in
  // this process would take as their proxy. It stays in the request's headers only.
  if (env === process.env) delete process.env.HTTP_PROXY
  const out = options.stdout ?? claimStdout()
  const write = writer(out)
  // The web server stopped reading (it closed the pipe): nothing more can be written.
  const hangup = new Hangup()
  out.once('error', (error) => hangup.fire(error))
  let body: PushedBody | undefined
  const finish = async () => {
    // Stop reading a body the app left unread, or the process would wait for it.
    if (body && !options.stdin) process.stdin.destroy()
    // A given stream is ours to end; process.stdout cannot be closed, only flushed.
    if (options.stdout) await new Promise<void>((resolve) => out.end(resolve))
    else await new Promise<void>((resolve) => out.write('', () => resolve()))
  }
  const onError = failureLog('server/cgi', options.logger)

  const maxBodySize = options.maxBodySize ?? 16 * MiB
  let length: number | undefined
  let request: Request
  try {
    length = cgiContentLength(params)
    if (length !== undefined && length > maxBodySize) {
      const done = reply(write, plainCgiResponse(413, `The request body is larger than ${maxBodySize} bytes (server/cgi option maxBodySize).`)).then(finish)
      return { request: undefined, params, done }
    }
    const method = cgiParam(params, 'REQUEST_METHOD')!
    if (method !== 'GET' && method !== 'HEAD' && length !== 0) {
      body = readStdin(options.stdin ?? process.stdin, length, maxBodySize)
    }
    request = cgiRequest(params, {
      body: body?.stream ?? null,
      stripScriptName: options.stripScriptName ?? false,
      onAbort: (listener) => void hangup.on(listener),
    })
  } catch (error) {
    const done = reply(write, cgiRefusal(error)).then(finish)
    return { request: undefined, params, done }
  }
  const output = { write, get gone() { return hangup.happened }, onGone: (listener: () => void) => hangup.on(listener) }
  // holdHead: the web server takes the end of stdout for the end of the response, so a body failing
  // before its first byte is answered 500 while that is still possible.
  const done = answerCgi(handler, request, output, onError, { holdHead: true }).then(finish, (error: unknown) => {
    // After the head, nothing on stdout can say the response is broken (lighttpd 1.4.69 ends a streamed
    // one with the closing chunk whatever the exit status): the exit status and the error log say it.
    onError(error, 'the response body failed after its head was sent; the response is cut short and the process exits with status 1')
    if (!options.stdout) process.exitCode = 1
    return finish()
  })
  return { request, params, done }
}

function reply(write: (bytes: Uint8Array) => void | Promise<void>, answer: Buffer): Promise<void> {
  return Promise.resolve(write(answer))
}

function writer(out: Writable): (bytes: Uint8Array) => void | Promise<void> {
  return (bytes) => {
    if (out.destroyed) return
    if (out.write(bytes)) return
    return drained(out)
  }
}

/**
 * Reserve process.stdout for the response. Returns a writable that writes to
 * it; from now on every other write to process.stdout goes to stderr, since a
 * stray line there would corrupt the response (or be sent to the client).
 */
function claimStdout(): Writable {
  const stdout = process.stdout
  const write = stdout.write.bind(stdout)
  stdout.write = process.stderr.write.bind(process.stderr) as typeof stdout.write
  return new Proxy(stdout, {
    get(target, key) {
      if (key === 'write') return write
      const value = Reflect.get(target, key, target) as unknown
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * The body from stdin: exactly CONTENT_LENGTH bytes (RFC 3875 forbids reading
 * more), or to the end when it is absent. A stdin that ends short of
 * CONTENT_LENGTH fails the body with a 400 (DOVETAIL_ERR_SERVER_BODY_LENGTH).
 */
function readStdin(stdin: Readable, length: number | undefined, maxBodySize: number): PushedBody {
  let remaining = length ?? Infinity
  const body = new PushedBody({ maxBodySize, limitName: 'server/cgi option maxBodySize', length, resume: () => stdin.resume() })
  const stop = () => {
    stdin.off('data', onData)
    stdin.off('end', onEnd)
    stdin.pause()
    // A paused stdin would keep a finished CGI process alive.
    if (stdin === process.stdin) stdin.destroy()
  }
  const onData = (chunk: Buffer) => {
    const part = chunk.byteLength > remaining ? chunk.subarray(0, remaining) : chunk
    remaining -= part.byteLength
    const more = body.push(part)
    if (remaining === 0) {
      stop()
      body.end()
    } else if (!more && !body.discarding) stdin.pause()
  }
  const onEnd = () => {
    stop()
    // Short of `length`, end() fails the body with a 400.
    body.end()
  }
  stdin.on('data', onData)
  stdin.once('end', onEnd)
  stdin.once('error', (error) => {
    stop()
    body.fail(error)
  })
  return body
}
