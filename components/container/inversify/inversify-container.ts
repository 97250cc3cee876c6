import { Container } from 'inversify'
import type { AdapterRegistration, AdapterScope, ContainerAdapter } from '../../../core/index.js'

/**
 * The core's container port on inversify. inversify keeps singletons and
 * transients and runs singleton deactivation on dispose.
 *
 * Scoped instances live in a Map per request instead of an inversify child
 * container: inversify's own `inRequestScope` lasts one `get()` call, not one
 * HTTP request, and a child container with its bindings costs about 70 µs per
 * request on Node 20 (measured, see test/bench), most of a 28 µs request budget
 * several times over. A Map costs well under a microsecond.
 */
export class InversifyAdapter implements ContainerAdapter {
  readonly native = new Container()
  readonly #scoped = new Map<string, AdapterRegistration>()

  register(entry: AdapterRegistration): void {
    if (entry.lifetime === 'scoped') {
      this.#scoped.set(entry.key, entry)
      return
    }
    const binding = this.native.bind(entry.key).toDynamicValue(entry.create)
    if (entry.lifetime === 'transient') {
      binding.inTransientScope()
      return
    }
    const onDeactivation = binding.inSingletonScope()
    const dispose = entry.dispose
    if (dispose) onDeactivation.onDeactivation(async (instance) => { await dispose(instance) })
  }

  resolve(key: string): unknown {
    return this.native.get(key)
  }

  createScope(): AdapterScope {
    return new MapScope(this)
  }

  /** @internal */
  scopedEntry(key: string): AdapterRegistration | undefined {
    return this.#scoped.get(key)
  }

  async dispose(): Promise<void> {
    await this.native.unbindAll()
  }
}

class MapScope implements AdapterScope {
  readonly #adapter: InversifyAdapter
  readonly #instances = new Map<string, unknown>()

  constructor(adapter: InversifyAdapter) {
    this.#adapter = adapter
  }

  resolve(key: string): unknown {
    const entry = this.#adapter.scopedEntry(key)
    if (!entry) return this.#adapter.resolve(key)
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
        await this.#adapter.scopedEntry(key)?.dispose?.(instance)
      } catch (error) {
        failures.push(error)
      }
    }
    this.#instances.clear()
    if (failures.length) throw new AggregateError(failures, 'Disposing scoped services failed')
  }
}
