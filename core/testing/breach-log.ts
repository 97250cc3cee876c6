import { type GatewayBreach, GatewayContractError } from './gateway-contract-error.js'

/** How a validator reacts to a breach; shared by {@link validateApp} and {@link validateServer}. */
export interface BreachOptions {
  /**
   * `'throw'`: throw the breach where it is found (the server then answers
   * 500 or cuts the response), and record it. `'record'`: only record it, and
   * let the request go on as it would without the validator; call
   * `assertNoBreaches()` at the end of the test.
   * @default 'throw'
   */
  onBreach?: 'throw' | 'record'
  /** Called with each breach as it is found, e.g. to pass it to another process. */
  onReport?: (breach: GatewayContractError) => void
}

/** What a validated handler or server adds: the breaches found so far. */
export interface BreachRecord {
  /** Every breach found so far, in order. */
  readonly breaches: readonly GatewayContractError[]
  /** Throw if any breach was found: the breach itself, or an AggregateError listing them all. */
  assertNoBreaches(): void
}

/** The breaches one validator found, and its policy for them. */
export class BreachLog implements BreachRecord {
  readonly breaches: GatewayContractError[] = []
  readonly #side: 'app' | 'server'
  readonly #options: BreachOptions

  constructor(side: 'app' | 'server', options: BreachOptions) {
    this.#side = side
    this.#options = options
  }

  get throws(): boolean {
    return (this.#options.onBreach ?? 'throw') === 'throw'
  }

  /** Record a breach and return it, without throwing (for breaches found where throwing would reach nobody). */
  note(breach: GatewayBreach, message: string): GatewayContractError {
    const error = new GatewayContractError(this.#side, breach, message)
    this.breaches.push(error)
    this.#options.onReport?.(error)
    return error
  }

  /** Record a breach, and throw it unless the policy is to record only. */
  raise(breach: GatewayBreach, message: string): void {
    const error = this.note(breach, message)
    if (this.throws) throw error
  }

  assertNoBreaches(): void {
    if (this.breaches.length === 1) throw this.breaches[0]
    if (this.breaches.length > 1) {
      throw new AggregateError(this.breaches, `${this.breaches.length} gateway contract breaches:\n${this.breaches.map((b) => `- ${b.message}`).join('\n')}`)
    }
  }
}
