import type { Provider, RegisterOptions } from './provider.js'
import type { Token } from './token.js'

/**
 * What `register(c)` in a component or in the app config receives.
 *
 * @example
 * register(c) {
 *   c.singleton(Clock, () => new SystemClock())
 *   c.scoped(Greeter, { useFactory: (clock) => new Greeter(clock), deps: [Clock] })
 *   c.value(Settings, { greeting: 'Hello' })
 * }
 */
export interface Registry {
  singleton<T>(token: Token<T>, provider?: Provider<T>, options?: RegisterOptions<T>): Registry
  scoped<T>(token: Token<T>, provider?: Provider<T>, options?: RegisterOptions<T>): Registry
  transient<T>(token: Token<T>, provider?: Provider<T>, options?: RegisterOptions<T>): Registry
  /** Register an existing value as a singleton. It is not disposed by the container. */
  value<T>(token: Token<T>, value: T): Registry
  has(token: Token): boolean
}
