import type { AdapterRegistration, AdapterScope } from './port.js'

/** What a {@link MapScope} needs from its adapter. */
export interface MapScopeHost {
  /** The scoped registration under `key`, or undefined for singletons and transients. */
  scopedEntry(key: string): AdapterRegistration | undefined
  /** Resolve a singleton or transient at the root. */
  resolve(key: string): unknown
}

/**
 * A request scope as a Map of the scoped instances it built, for adapters to
 * share. Why not the library's own scopes: an awilix `createScope()` builds a
 * child container per request (about 5 µs with its disposal and garbage, a
 * fifth of a plaintext request on node:http), and an inversify child container
 * costs about 50 µs and is never freed by inversify 8 (test/bench/scope-cost.ts).
 * This costs a fraction of a microsecond; the library still owns singletons,
 * transients and their disposal.
 */
export class MapScope implements AdapterScope {
  readonly #host: MapScopeHost
  readonly #instances = new Map<string, unknown>()

  constructor(host: MapScopeHost) {
    this.#host = host
  }

  resolve(key: string): unknown {
    const entry = this.#host.scopedEntry(key)
    if (!entry) return this.#host.resolve(key)
    if (this.#instances.has(key)) return this.#instances.get(key)
    const instance = entry.create()
    this.#instances.set(key, instance)
    return instance
  }

  async dispose(): Promise<void> {
    const failures: unknown[] = []
    // Reverse creation order: what was built last may use what was built first.
    for (const [key, instance] of [...this.#instances].reverse()) {
      try {
        await this.#host.scopedEntry(key)?.dispose?.(instance)
      } catch (error) {
        failures.push(error)
      }
    }
    this.#instances.clear()
    if (failures.length) throw new AggregateError(failures, 'Disposing scoped services failed')
  }
}
