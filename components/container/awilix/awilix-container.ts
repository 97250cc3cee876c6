import { type AwilixContainer, asFunction, createContainer, InjectionMode, Lifetime } from 'awilix'
import type { AdapterRegistration, AdapterScope, ContainerAdapter } from '../../../core/index.js'

const awilixLifetime = {
  singleton: Lifetime.SINGLETON,
  scoped: Lifetime.SCOPED,
  transient: Lifetime.TRANSIENT,
} as const

/**
 * The core's container port on awilix. awilix keeps the instances: singletons
 * in the root's cache, scoped ones in each `createScope()` child, and runs the
 * disposers. The core builds instances and checks lifetimes, so awilix's own
 * injection (the cradle) and strict mode are not used.
 */
export class AwilixAdapter implements ContainerAdapter {
  readonly native: AwilixContainer

  constructor() {
    this.native = createContainer({ injectionMode: InjectionMode.CLASSIC, strict: false })
  }

  register(entry: AdapterRegistration): void {
    let resolver = asFunction(entry.create).setLifetime(awilixLifetime[entry.lifetime])
    if (entry.dispose) resolver = resolver.disposer(entry.dispose)
    this.native.register(entry.key, resolver)
  }

  resolve(key: string): unknown {
    return this.native.resolve(key)
  }

  createScope(): AdapterScope {
    const scope = this.native.createScope()
    return { resolve: (key) => scope.resolve(key), dispose: () => scope.dispose() }
  }

  dispose(): Promise<void> {
    return this.native.dispose()
  }
}
