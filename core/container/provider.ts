import type { InjectableClass, Token } from './token.js'

/** Resolves a token from inside a factory; scoped services resolve in the current request's scope. */
export type Resolve = <T>(token: Token<T>) => T

/**
 * How the container builds an instance.
 * - a function `(resolve) => instance`: dependencies are found as it runs, so a captive
 *   dependency is reported at the first resolution;
 * - `{ useClass }` or the class itself as the token: constructor injection from the class's
 *   static `inject` list;
 * - `{ useFactory, deps }`: a factory with declared dependencies;
 * - `{ useValue }`: an existing value.
 *
 * Declared dependencies (`inject`, `deps`) are checked at startup: a missing one, a cycle,
 * or a singleton that depends on a scoped service stops the app before the first request.
 */
export type Provider<T> =
  | ((resolve: Resolve) => T)
  | { useClass: InjectableClass<T> }
  | { useFactory: (...deps: any[]) => T; deps: readonly Token[] }
  | { useValue: T }

export interface RegisterOptions<T> {
  /** Called when the instance's lifetime ends (scoped: end of request; singleton: `app.close()`). */
  dispose?: (instance: T) => unknown
}

/** Normalized form of a provider: how to build, and what it declares it needs. */
export interface Recipe {
  build: (resolve: Resolve) => unknown
  deps: readonly Token[] | undefined
}

const isClass = (fn: Function): boolean => /^class[\s{]/.test(Function.prototype.toString.call(fn))

export function recipeOf(token: Token, provider: Provider<unknown> | undefined): Recipe | undefined {
  if (provider === undefined) {
    return typeof token === 'function' && isClass(token) ? classRecipe(token as InjectableClass) : undefined
  }
  if (typeof provider === 'function') {
    return isClass(provider) ? classRecipe(provider as unknown as InjectableClass) : { build: provider, deps: undefined }
  }
  if (typeof provider !== 'object' || provider === null) return undefined
  if ('useValue' in provider) return { build: () => provider.useValue, deps: [] }
  if ('useClass' in provider && typeof provider.useClass === 'function') return classRecipe(provider.useClass)
  if ('useFactory' in provider && typeof provider.useFactory === 'function' && Array.isArray(provider.deps)) {
    const { useFactory, deps } = provider
    return { build: (resolve) => useFactory(...deps.map((d) => resolve(d))), deps }
  }
  return undefined
}

function classRecipe(cls: InjectableClass): Recipe {
  const deps = cls.inject ?? []
  return { build: (resolve) => new cls(...deps.map((d) => resolve(d))), deps }
}
