import type { Logger } from '../slots/logger.js'

/**
 * The `onError` of {@link answerCgi} for one adapter: failures the app could not
 * answer go to `logger`, or to stderr (never stdout, which may carry the
 * response) when there is none. `component` names the adapter in every line.
 *
 * @example
 * const log = failureLog('@acme/server-foo', logger)
 * log(error, 'the fetch handler failed')
 * // logger.error({ err }, '@acme/server-foo: the fetch handler failed')
 */
export function failureLog(component: string, logger: Logger | undefined): (error: unknown, message: string) => void {
  return (error, message) => {
    if (logger) logger.error({ err: error }, `${component}: ${message}`)
    else process.stderr.write(`dovetail/${component}: ${message}: ${(error as Error)?.stack ?? error}\n`)
  }
}

/**
 * Log that the web server broke the protocol (`DOVETAIL_ERR_SERVER_PROTOCOL`),
 * to `logger` or else to stderr; `message` starts with the component's name.
 * The adapter then closes the connection: there is no request to answer.
 *
 * @example
 * logProtocolError(logger, '@acme/server-foo: the web server sent a header block without a length')
 */
export function logProtocolError(logger: Logger | undefined, message: string): void {
  if (logger) logger.error({ code: 'DOVETAIL_ERR_SERVER_PROTOCOL' }, message)
  else process.stderr.write(`dovetail/${message}\n`)
}
