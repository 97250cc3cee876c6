// awilix's browser build: the same container as its main entry, without listModules/loadModules,
// which Dovetail never uses and which pull in fast-glob and its dependencies (about 70 files,
// some 20 ms of CPU at every start). It is a public entry of the package ("awilix/browser") and
// runs under Node; the one difference a user may see is how util.inspect prints `native`.
import { type AwilixContainer, asFunction, createContainer, InjectionMode, Lifetime } from 'awilix/browser'
import { type AdapterRegistration, type AdapterScope, type ContainerAdapter, MapScope, type MapScopeHost } from '../../../core/index.js'

/**
 * The core's container port on awilix. awilix keeps singletons (in the root's
 * cache) and transients, and runs the singletons' disposers. The core builds
 * instances and checks lifetimes, so awilix's own injection (the cradle) and
 * strict mode are not used.
 *
 * Scoped instances live in the core's {@link MapScope} rather than an awilix
 * `createScope()` child container: a child per request costs about 5 µs with
 * its disposal and garbage (test/bench/scope-cost.ts), which took the
 * three-scoped-services route to about half of raw node:http's throughput; the
 * Map costs a fraction of a microsecond.
 */
export class AwilixAdapter implements ContainerAdapter, MapScopeHost {
  readonly native: AwilixContainer
  readonly #scoped = new Map<string, AdapterRegistration>()

  constructor() {
    this.native = createContainer({ injectionMode: InjectionMode.CLASSIC, strict: false })
  }

  register(entry: AdapterRegistration): void {
    if (entry.lifetime === 'scoped') {
      this.#scoped.set(entry.key, entry)
      return
    }
    let resolver = asFunction(entry.create).setLifetime(entry.lifetime === 'singleton' ? Lifetime.SINGLETON : Lifetime.TRANSIENT)
    if (entry.dispose) resolver = resolver.disposer(entry.dispose)
    this.native.register(entry.key, resolver)
  }

  resolve(key: string): unknown {
    return this.native.resolve(key)
  }

  scopedEntry(key: string): AdapterRegistration | undefined {
    return this.#scoped.get(key)
  }

  createScope(): AdapterScope {
    return new MapScope(this)
  }

  dispose(): Promise<void> {
    return this.native.dispose()
  }
}
