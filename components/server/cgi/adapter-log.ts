import type { Logger } from '../../../core/index.js'

/**
 * The `onError` of {@link answer} for one adapter: failures the app could not
 * answer go to `logger`, or to stderr (never stdout, which may carry the
 * response) when there is none.
 *
 * @example
 * const log = failureLog('server/scgi', logger)
 * log(error, 'the fetch handler failed')
 */
export function failureLog(component: string, logger: Logger | undefined): (error: unknown, message: string) => void {
  return (error, message) => {
    if (logger) logger.error({ err: error }, `${component}: ${message}`)
    else process.stderr.write(`dovetail/${component}: ${message}: ${(error as Error)?.stack ?? error}\n`)
  }
}

/**
 * Log that the web server broke the protocol (`DOVETAIL_ERR_SERVER_PROTOCOL`);
 * `message` starts with the component's name.
 *
 * @example
 * logProtocolError(logger, 'server/scgi: the web server sent …')
 */
export function logProtocolError(logger: Logger | undefined, message: string): void {
  if (logger) logger.error({ code: 'DOVETAIL_ERR_SERVER_PROTOCOL' }, message)
  else process.stderr.write(`dovetail/${message}\n`)
}
