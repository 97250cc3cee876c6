import { Container } from 'inversify'
import type { AdapterRegistration, AdapterScope, ContainerAdapter } from '../../../core/index.js'

/**
 * The core's container port on inversify. inversify keeps singletons and
 * transients and runs singleton deactivation on dispose.
 *
 * Scoped instances live in a Map per request instead of an inversify child
 * container: inversify's own `inRequestScope` lasts one `get()` call, not one
 * HTTP request, and a child container with three bindings and three `get()`s
 * costs about 70 µs per request on Node 20 (test/bench/scope-cost.ts), against
 * a budget of about 28 µs for a whole request. A Map costs well under a
 * microsecond.
 */
export class InversifyAdapter implements ContainerAdapter {
  readonly native = new Container()
  readonly #scoped = new Map<string, AdapterRegistration>()

  register(entry: AdapterRegistration): void {
    if (entry.lifetime === 'scoped') {
      this.#scoped.set(entry.key, entry)
      return
    }
    // Instances travel in a box: inversify's synchronous get() refuses a value that
    // is a promise, and a factory may well return one (an async connection).
    const create = entry.create
    const binding = this.native.bind<Box>(entry.key).toDynamicValue(() => ({ value: create() }))
    if (entry.lifetime === 'transient') {
      binding.inTransientScope()
      return
    }
    const onDeactivation = binding.inSingletonScope()
    const dispose = entry.dispose
    if (dispose) onDeactivation.onDeactivation(async (box) => { await dispose(box.value) })
  }

  resolve(key: string): unknown {
    return this.native.get<Box>(key).value
  }

  createScope(): AdapterScope {
    return new MapScope(this)
  }

  /** @internal */
  scopedEntry(key: string): AdapterRegistration | undefined {
    return this.#scoped.get(key)
  }

  async dispose(): Promise<void> {
    // The async variant: unbindAll() throws as soon as one deactivation returns a promise.
    await this.native.unbindAllAsync()
  }
}

interface Box {
  value: unknown
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
