// dovetailjs/server-kit: what server adapters share, public so a third-party
// adapter builds on exactly what the built-in ones do. Kept apart from the
// main entry because it loads node:net and node:http, which fetch-only hosts
// (Workers, Deno, Bun) must never have to load.
export { failureLog, logProtocolError } from './adapter-log.js'
export { cgiMappingShape, socketServerOptions, type SocketServerOptions } from './adapter-options.js'
export { batchedWriter } from './batched-writer.js'
export { type AnswerCgiOptions, answerCgi, answerCgiOnSocket, type CgiOutput } from './cgi-answer.js'
export { checkCgiPath } from './cgi-path-check.js'
export { cgiRequest, type CgiRequestInit } from './cgi-request.js'
export { cgiRefusal, cgiResponseParts, plainCgiResponse, type CgiResponseParts } from './cgi-response.js'
export {
  cgiContentLength,
  cgiParam,
  cgiParamEncoding,
  cgiUrl,
  splitCgiParams,
  type CgiParams,
  type CgiVariables,
} from './cgi-variables.js'
export { drained } from './drained.js'
export { Hangup } from './hangup.js'
export { isValidHost } from './host.js'
export { PushedBody, type PushedBodyOptions } from './pushed-body.js'
export { delegateToRequest } from './request-delegation.js'
export { listenSockets, SocketConnection, type SocketListenerOptions } from './socket-listener.js'
export { SocketServer } from './socket-server.js'
export { closingCgiResponse, closingResponse, closingRetryAfter, defaultShutdownIdleGrace, logShutdownCut } from './shutdown.js'
export { runWorkers, type RunWorkersOptions, type ServingWorker, workerNumber } from './run-workers.js'
export {
  defaultCrashLoopExits,
  defaultCrashLoopWindow,
  defaultMaxRestartDelay,
  defaultRestartDelay,
  defaultStopTimeout,
  type WorkerCount,
  workerCount,
  workerPoolOptions,
  type WorkerPoolOptions,
} from './worker-options.js'
