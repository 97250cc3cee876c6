/** A class usable as its own token; `inject` lists its constructor's dependencies in order. */
export interface InjectableClass<T = unknown> {
  new (...args: any[]): T
  readonly inject?: readonly Token[]
  readonly name: string
}

/**
 * A typed key for something in the container, for values that have no class
 * of their own (configuration, interfaces, functions).
 *
 * @example
 * interface Clock { now(): Date }
 * export const Clock = token<Clock>('Clock')
 * c.singleton(Clock, () => ({ now: () => new Date() }))
 */
export class InjectionToken<T> {
  /** Phantom field carrying `T` for type inference; never set. */
  declare readonly __type?: T
  constructor(readonly description: string) {}
  toString(): string {
    return this.description
  }
}

/** Anything the container resolves: an {@link InjectionToken} or a class. */
export type Token<T = unknown> = InjectionToken<T> | (abstract new (...args: any[]) => T)

/** Make a typed token. */
export const token = <T>(description: string): InjectionToken<T> => new InjectionToken<T>(description)

/** A human-readable name for a token, used in every container error message. */
export const tokenName = (t: Token): string => (t instanceof InjectionToken ? t.description : t.name || '<anonymous class>')

/** The type a token stands for. */
export type TokenType<K> = K extends Token<infer T> ? T : never
