import { GatewayAppContract, GatewayServerContract } from '../errors/codes.js'
import { DovetailError } from '../errors/dovetail-error.js'

/** What an app (a fetch handler) can do wrong, as {@link validateApp} reports it. */
export type AppBreach =
  | 'not-a-response'
  | 'status-out-of-range'
  | 'forbidden-header'
  | 'head-with-body'
  | 'response-body-used'
  | 'headers-changed-after-return'
  | 'body-read-twice'
  | 'body-chunk-not-bytes'
  | 'stream-not-closed'
  | 'content-length-mismatch'

/** What a server adapter can do wrong, as {@link validateServer} reports it. */
export type ServerBreach = 'not-a-request' | 'request-url' | 'listen-result' | 'handler-after-close' | 'close-before-finish'

export type GatewayBreach = AppBreach | ServerBreach

/**
 * One breach of the gateway contract: which side broke it, which rule, and a
 * message that says what happened and how to fix it. Its code is
 * `DOVETAIL_ERR_GATEWAY_APP_CONTRACT` or `DOVETAIL_ERR_GATEWAY_SERVER_CONTRACT`;
 * branch on `breach`, never on the message.
 *
 * @example
 * try {
 *   await validated(new Request('http://localhost/'))
 * } catch (error) {
 *   if (error instanceof GatewayContractError && error.breach === 'not-a-response') console.error(error.message)
 * }
 */
export class GatewayContractError extends DovetailError {
  override name = 'GatewayContractError'

  constructor(
    readonly side: 'app' | 'server',
    readonly breach: GatewayBreach,
    message: string,
  ) {
    super((side === 'app' ? GatewayAppContract : GatewayServerContract).code, `${side === 'app' ? 'validateApp' : 'validateServer'} (${breach}): ${message}`)
  }
}
